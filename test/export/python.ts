/**
 * One Python process per test file: importing torch takes seconds, far more
 * than the scripts the tests run, so a file's scripts all run in one
 * interpreter, each as `python SCRIPT ARGS` would run it (its own folder as
 * the working directory and first on sys.path, `__name__ == "__main__"`, its
 * exit status), and the modules it imported from its folder are forgotten
 * afterwards, so the next export's `model.py` is its own.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";

/** Debian's python, which has python3-torch and python3-onnx; not the pyenv one on PATH. */
export const python = "/usr/bin/python3";

/** Whether `python` can import these modules, found without importing them. */
export function hasModules(...modules: string[]): boolean {
  const probe = `import importlib.util, sys; sys.exit(0 if all(importlib.util.find_spec(m) for m in sys.argv[1:]) else 1)`;
  return spawnSync(python, ["-c", probe, ...modules]).status === 0;
}

const serve = `
import contextlib, io, json, os, runpy, sys, traceback
for name in sys.argv[1:]:
    __import__(name)
protocol = sys.stdout
for line in sys.stdin:
    request = json.loads(line)
    folder = os.path.realpath(request["cwd"])
    out, err, status = io.StringIO(), io.StringIO(), 0
    os.chdir(folder)
    sys.path.insert(0, folder)
    sys.argv = [request["script"], *request["args"]]
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            runpy.run_path(request["script"], run_name="__main__")
    except SystemExit as exit:
        status = exit.code if isinstance(exit.code, int) else (0 if exit.code is None else 1)
    except BaseException:
        status = 1
        err.write(traceback.format_exc())
    finally:
        sys.path.remove(folder)
        for name, module in list(sys.modules.items()):
            if os.path.realpath(getattr(module, "__file__", None) or "/").startswith(folder + os.sep):
                del sys.modules[name]
    protocol.write(json.dumps({"status": status, "stdout": out.getvalue(), "stderr": err.getvalue()}) + "\\n")
    protocol.flush()
`;

export interface ScriptResult {
  status: number;
  stdout: string;
  stderr: string;
}

export class PythonProcess {
  private readonly child: ChildProcess;
  private readonly waiting: ((result: ScriptResult) => void)[] = [];
  private failure = "";

  /** `preload`: modules imported once, up front (the scripts' own imports then find them loaded). */
  constructor(preload: string[], env: NodeJS.ProcessEnv = {}) {
    this.child = spawn(python, ["-u", "-c", serve, ...preload], { stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, ...env } });
    this.child.stdin!.on("error", () => undefined);
    this.child.stderr!.on("data", (chunk: Buffer) => { this.failure += chunk.toString(); });
    createInterface({ input: this.child.stdout! }).on("line", (line) => this.waiting.shift()?.(JSON.parse(line) as ScriptResult));
    this.child.on("exit", (code) => {
      for (const resolve of this.waiting.splice(0)) resolve({ status: code ?? 1, stdout: "", stderr: `python exited: ${this.failure}` });
    });
  }

  /** Runs `script` (a path relative to `cwd`) with `args`, as `cd cwd && python script args` would. */
  run(cwd: string, script: string, args: string[] = []): Promise<ScriptResult> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve({ status: 1, stdout: "", stderr: `python exited: ${this.failure}` });
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.child.stdin!.write(`${JSON.stringify({ cwd, script, args })}\n`);
    });
  }

  /** Like `run`, but a non-zero status throws with the script's output. */
  async stdout(cwd: string, script: string, args: string[] = []): Promise<string> {
    const result = await this.run(cwd, script, args);
    if (result.status !== 0) throw new Error(`python ${script} ${args.join(" ")} in ${cwd} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
    return result.stdout;
  }

  close(): Promise<void> {
    if (this.child.exitCode !== null) return Promise.resolve();
    return new Promise((done) => {
      this.child.once("exit", () => done());
      this.child.stdin!.end();
    });
  }
}
