// Node module hooks so that `tsx` (benchmarks, scripts) imports `./file.sh?raw` as Vite does: the
// file's text as the default export. Registered with `node --import ./scripts/raw-text-loader.mjs`.
import { register } from 'node:module'

register('./raw-text-hooks.mjs', import.meta.url)
