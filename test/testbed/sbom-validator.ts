import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { execFileAsync } from './processes'
import { CACHE_DIR, SYSTEM_PYTHON } from './pypi-standin'

/** A venv with CycloneDX's own Python library and its validation extra (jsonschema). */
export const SBOM_VALIDATOR_VENV = join(CACHE_DIR, 'sbom-validator-venv')
export const CYCLONEDX_LIB = 'cyclonedx-python-lib[validation]==11.12.0'
const PYTHON = join(SBOM_VALIDATOR_VENV, 'bin', 'python')
const SCRIPT = fileURLToPath(new URL('./validate-cyclonedx.py', import.meta.url))

/** Creates the venv when it is missing (scripts/install-test-deps.sh does it up front). */
export async function ensureSbomValidator(): Promise<void> {
  const check = ['-c', 'import cyclonedx.validation.json']
  if (
    existsSync(PYTHON) &&
    (await execFileAsync(PYTHON, check).then(
      () => true,
      () => false,
    ))
  )
    return
  await execFileAsync(SYSTEM_PYTHON, ['-m', 'venv', '--clear', SBOM_VALIDATOR_VENV])
  await execFileAsync(join(SBOM_VALIDATOR_VENV, 'bin', 'pip'), ['install', '-q', CYCLONEDX_LIB], {
    timeout: 600_000,
  })
}

/** The schema errors of a CycloneDX 1.5 JSON file (none: it is valid). */
export async function cyclonedxErrors(file: string): Promise<{ message: string; path: string }[]> {
  await ensureSbomValidator()
  const { stdout } = await execFileAsync(PYTHON, [SCRIPT, file], { maxBuffer: 64 << 20 })
  return (JSON.parse(stdout) as { errors: { message: string; path: string }[] }).errors
}
