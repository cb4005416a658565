import { z } from 'zod'
import type { RemoteHost } from '../ssh/remote-host'
import { urlHost } from './loopback'
import { simpleIndexUrl } from './mirror-reach'
import { runPythonJson } from '../remote/python'

/**
 * Installs each line as OpenLambda's pip-install lambda does (`pip install --no-deps <line>
 * --cache-dir <fresh> -t <fresh>`), with the mirror as the only index, verbose, from the worker
 * host. pip's own configuration and PIP_* settings are left out: inside a sandbox there are none,
 * and a host's pip.conf (extra indexes, find-links) would make the proof worthless.
 */
const DRY_INSTALL = String.raw`
import concurrent.futures, json, os, re, shutil, subprocess, sys, tempfile
try:
    import pip
except ImportError:
    print(json.dumps({"pip": False, "python": sys.executable}))
    sys.exit(0)
request = json.load(sys.stdin)
env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
env.update(PIP_CONFIG_FILE=os.devnull, PIP_NO_INPUT="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
noise = re.compile(r"^\s*(Skipping link|Found link|Link requires|Given no hashes|Created temporary|Removed |Looking up|Updating cache|Caching|No cache entry|etag|Request header|Starting new|Non-user|Initialized|Entered build|Added .* to build tracker)")

def install(arg):
    work = tempfile.mkdtemp(prefix="pmw-dry-install-")
    command = [sys.executable, "-m", "pip", "install", "--no-deps", arg,
               "--cache-dir", os.path.join(work, "cache"), "-t", os.path.join(work, "files"),
               "--index-url", request["index"], "--trusted-host", request["trustedHost"], "-vvv"]
    if request.get("pythonVersion"):
        command += ["--python-version", request["pythonVersion"]]
    try:
        done = subprocess.run(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=600, text=True, errors="replace")
        output, code = done.stdout, done.returncode
    except subprocess.TimeoutExpired as e:
        output, code = (e.stdout or "") if isinstance(e.stdout, str) else "", -1
    finally:
        shutil.rmtree(work, ignore_errors=True)
    source = re.search(r"Added \S+ from (\S+) to build tracker", output) or re.search(r"Downloading (\S+)", output)
    installed = re.search(r"^Successfully installed (.+)$", output, re.M)
    skipped = re.search(r"^Ignoring (\S+): markers", output, re.M)
    lines = [line for line in output.splitlines() if line.strip() and not noise.match(line)]
    return {"arg": arg, "code": code, "source": source.group(1) if source else None,
            "installed": installed.group(1) if installed else None, "skipped": bool(skipped),
            "tail": lines[-12:]}

with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
    results = list(pool.map(install, request["args"]))
print(json.dumps({"pip": True, "python": sys.executable, "pipVersion": pip.__version__, "results": results}))
`

const resultSchema = z.object({
  arg: z.string(),
  code: z.number(),
  source: z.string().nullable(),
  installed: z.string().nullable(),
  skipped: z.boolean(),
  tail: z.array(z.string()),
})

const dryInstallSchema = z.union([
  z.object({ pip: z.literal(false), python: z.string() }),
  z.object({
    pip: z.literal(true),
    python: z.string(),
    pipVersion: z.string(),
    results: z.array(resultSchema),
  }),
])

export type DryInstall = z.infer<typeof dryInstallSchema>
export type DryInstallResult = z.infer<typeof resultSchema>

export interface DryInstallRequest {
  pipMirror: string
  /** The lines as OpenLambda passes them to pip (see openLambdaInstallArgs). */
  args: readonly string[]
  /** The sandboxes' Python, when it differs from the Python pip runs with here. */
  pythonVersion: string | null
}

export function dryInstall(host: RemoteHost, request: DryInstallRequest): Promise<DryInstall> {
  const input = {
    index: simpleIndexUrl(request.pipMirror).replace(/\/$/, ''),
    trustedHost: urlHost(request.pipMirror),
    pythonVersion: request.pythonVersion,
    args: request.args,
  }
  return runPythonJson(
    host,
    `The dry install from ${input.index}`,
    DRY_INSTALL,
    [],
    dryInstallSchema,
    { stdin: JSON.stringify(input) },
  )
}

/** The command line each dry install ran, for the log (the same for every line but `<line>`). */
export function dryInstallCommand(request: DryInstallRequest): string {
  const index = simpleIndexUrl(request.pipMirror).replace(/\/$/, '')
  const python = request.pythonVersion ? ` --python-version ${request.pythonVersion}` : ''
  return `pip install --no-deps <line> --cache-dir <tmp>/cache -t <tmp>/files --index-url ${index} --trusted-host ${urlHost(request.pipMirror)} -vvv${python}`
}

/** "alpha==1.1: installed alpha-1.1 from http://.../alpha-1.1-py3-none-any.whl" */
export function describeDryInstall(result: DryInstallResult): string {
  if (result.code !== 0) return `${result.arg}: FAILED (exit code ${result.code})`
  if (result.skipped) return `${result.arg}: skipped by pip (its marker does not match)`
  return `${result.arg}: installed ${result.installed ?? '?'} from ${result.source ?? '(cache)'}`
}
