/**
 * The debug adapter: one training run of a .nnet network, stepped point by
 * point through the forward pass, the loss, BP1–BP4 and the update. Going
 * back replays the run from its start to the earlier point, which gives the
 * same bits because the stepper is deterministic. A long run (Continue)
 * yields to the event loop between chunks so that Pause is heard.
 */
import { basename } from "node:path";
import {
  DebugSession, Handles, InitializedEvent, OutputEvent, Scope, Source, StackFrame, StoppedEvent,
  TerminatedEvent, Thread,
} from "@vscode/debugadapter";
import type { DebugProtocol } from "@vscode/debugprotocol";
import { Stepper } from "../engine/index";
import { runKernel } from "../training/index";
import { conditionProblem, parseHitCondition, type LineBreakpoint } from "./breakpoints";
import { exampleCount, exampleVariables } from "./example";
import { exceptionFilters, isFilter, type Exception, type Filter } from "./filters";
import { ExprError, renderPlain } from "../language/index";
import { equationLine, evaluateAt } from "./expr";
import {
  batchVariables, completions, layerVariables, lossVariables, pointName, shownMatrix, valueText, type Shown,
} from "./inspect";
import { optimizerVariables } from "./optimizer";
import { layerValues } from "./live";
import { loadProgress, loadProgressId } from "./load-progress";
import { lineOf, loadProgramAsync, type LaunchArgs, type Program } from "./program";
import { hitAt, type Hit } from "./stops";
import { exactText } from "./values";

const THREAD = 1;
const none: ReadonlySet<Filter> = new Set();
const CHUNK = 2000;
/** longer lists than this are paged by the client */
const PAGE = 100;

type LaunchRequestArgs = DebugProtocol.LaunchRequestArguments & LaunchArgs;

export class NnetDebugSession extends DebugSession {
  private program: Program | undefined;
  private stepper: Stepper | undefined;
  private breakpoints = new Map<number, LineBreakpoint>();
  private nextBreakpointId = 1;
  /** per breakpoint id, its hits from the start of the run to the current position */
  private hits = new Map<number, number>();
  private filters = new Set<Filter>(["nonfinite"]);
  /** where each filter first stopped the run: it stops there, and not again later in the run */
  private firstTrips = new Map<Filter, number>();
  private exception: Exception | undefined;
  /** Step Into's per-example view of the current point: the example's column in the batch (0-based) */
  private example: number | undefined;
  private handles = new Handles<(start: number, count: number) => Shown[]>();
  private running = false;
  private pauseRequested = false;
  private closed = false;
  /** the client shows progress events (initialize's supportsProgressReporting) */
  private progressReporting = false;
  /** the client cancelled the launch's read of the data */
  private loadCancelled = false;
  private configured!: () => void;
  private readonly configurationDone = new Promise<void>((resolve) => (this.configured = resolve));

  constructor() {
    super();
    this.setDebuggerLinesStartAt1(false);
    this.setDebuggerColumnsStartAt1(false);
  }

  protected initializeRequest(response: DebugProtocol.InitializeResponse, args: DebugProtocol.InitializeRequestArguments): void {
    this.progressReporting = args.supportsProgressReporting === true;
    response.body = {
      supportsConfigurationDoneRequest: true,
      supportsStepBack: true,
      supportsConditionalBreakpoints: true,
      supportsHitConditionalBreakpoints: true,
      supportsLogPoints: true,
      supportsEvaluateForHovers: true,
      supportsClipboardContext: true,
      supportsExceptionInfoRequest: true,
      supportsTerminateRequest: true,
      supportsCompletionsRequest: true,
      supportsCancelRequest: true,
      exceptionBreakpointFilters: exceptionFilters,
    };
    this.sendResponse(response);
  }

  protected configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.configured();
    this.sendResponse(response);
  }

  protected async launchRequest(response: DebugProtocol.LaunchResponse, args: LaunchRequestArgs): Promise<void> {
    const progress = this.progressReporting ? loadProgress((event) => this.sendEvent(event)) : undefined;
    // the data loads between turns of the event loop, so that a disconnect, terminate or cancel ends it
    const stopped = (): boolean => this.closed || this.loadCancelled;
    const loaded = await loadProgramAsync(args, { shouldStop: stopped, ...(progress ? { onProgress: progress.onProgress } : {}) });
    progress?.end(stopped() ? "stopped" : "done");
    if (stopped()) return this.fail(response, 1004, "the launch was stopped while it read the data");
    if (!loaded.ok) return this.fail(response, 1001, loaded.message);
    const program = loaded.program;
    let stepper: Stepper;
    try {
      // the kernel `nnet train` uses, so the debugger shows that run's bits; a fresh one per replay, whose arrays it keeps
      stepper = new Stepper({ ...program.config, kernel: () => runKernel(1).kernel });
    } catch (failure) {
      return this.fail(response, 1002, failure instanceof Error ? failure.message : String(failure));
    }
    this.program = program;
    for (const warning of program.warnings) this.sendEvent(new OutputEvent(`${warning}\n`, "console"));
    // the steps before the first stop run whole, without looking for breakpoints
    while (stepper.position < program.startStep * stepper.plan.length && stepper.advanceStep());
    this.stepper = stepper;
    this.sendEvent(new InitializedEvent());
    await this.configurationDone;
    this.sendResponse(response);
    if (program.stopOnEntry) {
      stepper.advance();
      this.stopAt("entry");
    } else {
      this.resume("continue");
    }
  }

  /** `quiet`: the client shows the message where the request came from (the Debug Console, Watch), not as a notification too */
  private fail(response: DebugProtocol.Response, id: number, message: string, quiet = false): void {
    this.sendErrorResponse(response, { id, format: "{_message}", variables: { _message: message }, showUser: !quiet });
  }

  protected setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): void {
    const program = this.program;
    const requested = args.breakpoints ?? [];
    const ours = program !== undefined && args.source.path !== undefined && samePath(args.source.path, program.path);
    if (ours) this.breakpoints.clear();
    const lines = ours ? this.pointLines() : new Set<number>();
    response.body = {
      breakpoints: requested.map((wanted): DebugProtocol.Breakpoint => {
        const line = this.convertClientLineToDebugger(wanted.line);
        const id = this.nextBreakpointId++;
        if (!ours) return { id, verified: false, message: program ? "not the file being debugged" : "no program is running" };
        if (!lines.has(line)) {
          return { id, verified: false, line: wanted.line, message: "no execution point on this line: put breakpoints on the input, a layer, the loss or the optimizer" };
        }
        const problem = wanted.condition ? conditionProblem(wanted.condition, program.config.spec) : undefined;
        const hit = wanted.hitCondition ? parseHitCondition(wanted.hitCondition) : undefined;
        if (problem || typeof hit === "string") return { id, verified: false, line: wanted.line, message: problem ?? (hit as string) };
        this.breakpoints.set(line, {
          id, line,
          ...(wanted.condition ? { condition: wanted.condition } : {}),
          ...(hit ? { hitCondition: hit } : {}),
          ...(wanted.logMessage ? { logMessage: wanted.logMessage } : {}),
        });
        return { id, verified: true, line: wanted.line };
      }),
    };
    // hit counts run from the start of the run, as if the breakpoint had been there all along
    const stepper = this.stepper;
    this.hits = new Map();
    if (ours && stepper && stepper.position > 0 && [...this.breakpoints.values()].some((bp) => bp.hitCondition)) {
      this.hits = this.replayTo(stepper.position).hits;
    }
    this.sendResponse(response);
  }

  protected setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, args: DebugProtocol.SetExceptionBreakpointsArguments): void {
    const unknown = args.filters.filter((f) => !isFilter(f));
    if (unknown.length > 0) return this.fail(response, 1003, `unknown exception filter '${unknown[0]}' (filters: ${exceptionFilters.map((f) => f.filter).join(", ")})`);
    this.filters = new Set(args.filters.filter(isFilter));
    this.sendResponse(response);
  }

  private pointLines(): Set<number> {
    const { program, stepper } = this;
    if (!program || !stepper) return new Set();
    return new Set(stepper.plan.map((p) => lineOf(program, stepper.network, p)));
  }

  protected threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    response.body = { threads: [new Thread(THREAD, `train ${this.program?.name ?? ""}`.trim())] };
    this.sendResponse(response);
  }

  // The stack reads like the algorithm: the point, its phase, the training step, the run.
  protected stackTraceRequest(response: DebugProtocol.StackTraceResponse): void {
    const { program, stepper } = this;
    const point = stepper?.point;
    if (!program || !stepper || !point) {
      response.body = { stackFrames: [], totalFrames: 0 };
      return this.sendResponse(response);
    }
    const source = new Source(basename(program.path), this.convertDebuggerPathToClient(program.path));
    const at = (line: number): number => this.convertDebuggerLineToClient(line);
    const phaseStart = stepper.plan.find((p) => p.phase === point.phase) ?? point;
    const line = at(lineOf(program, stepper.network, point));
    const example = this.example !== undefined ? [new StackFrame(5, `example ${this.example + 1} of ${exampleCount(stepper)}`, source, line)] : [];
    const frames = [
      ...example,
      new StackFrame(1, pointName(stepper, point), source, line),
      new StackFrame(2, point.phase, source, at(lineOf(program, stepper.network, phaseStart))),
      new StackFrame(3, `step ${stepper.batchInEpoch + 1} of epoch ${stepper.epoch}`, source, at(program.lines.train)),
      new StackFrame(4, `train ${program.name}`, source, at(program.lines.network)),
    ];
    response.body = { stackFrames: frames, totalFrames: frames.length };
    this.sendResponse(response);
  }

  protected scopesRequest(response: DebugProtocol.ScopesResponse): void {
    const { program, stepper } = this;
    const scopes: Scope[] = [];
    if (program && stepper?.point) {
      const current = stepper.point.node;
      const layers = stepper.network.nodes.slice(1);
      const layerScope = (index: number): Scope => {
        const node = stepper.network.nodes[index];
        return new Scope(`Layer ${node.name}`, this.handles.create(() => layerVariables(stepper, node)), false);
      };
      const example = this.example;
      if (example !== undefined) {
        scopes.push(new Scope(`Example ${example + 1} of ${exampleCount(stepper)}`, this.handles.create(() => exampleVariables(stepper, example)), false));
      }
      // the layer the point works on comes first, so the editor opens it
      if (current > 0) scopes.push(layerScope(current));
      scopes.push(new Scope("Batch", this.handles.create(() => batchVariables(stepper)), false));
      scopes.push(new Scope("Loss", this.handles.create(() => lossVariables(stepper)), false));
      for (const node of layers) if (node.index !== current) scopes.push(layerScope(node.index));
      scopes.push(new Scope("Optimizer", this.handles.create(() => optimizerVariables(stepper, program.config.train)), false));
    }
    response.body = { scopes };
    this.sendResponse(response);
  }

  protected variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    const children = this.handles.get(args.variablesReference);
    // a client pages a long list (indexedVariables) with start and count; count 0 means all
    const start = args.start ?? 0;
    const count = args.count ? args.count : Number.MAX_SAFE_INTEGER;
    response.body = { variables: children ? children(start, count).map((shown) => this.variable(shown)) : [] };
    this.sendResponse(response);
  }

  private variable(shown: Shown): DebugProtocol.Variable {
    return {
      name: shown.name, value: shown.value,
      variablesReference: shown.children ? this.handles.create(shown.children) : 0,
      ...(shown.evaluateName ? { evaluateName: shown.evaluateName } : {}),
      ...(shown.indexed !== undefined && shown.indexed > PAGE ? { indexedVariables: shown.indexed } : {}),
    };
  }

  protected evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): void {
    const { program, stepper } = this;
    if (!program || !stepper?.point) return this.fail(response, 2001, "nothing to evaluate: the run is not stopped at a point");
    if (this.running) return this.fail(response, 2002, "the run is going; pause it to evaluate");
    // a layer's name under the mouse gets the editor's layer hover (formula and live values), not a bare matrix
    if (args.context === "hover" && stepper.network.nodes.some((node) => node.name === args.expression.trim())) {
      return this.fail(response, 2004, `'${args.expression.trim()}' is a layer: its hover shows the formula and live values`);
    }
    try {
      const { expr, value } = evaluateAt(args.expression, program.config.spec, stepper);
      // the hover's notation of what was evaluated, e.g. (Wʰ²)ᵀ Δʰ² ⊙ tanh′(Zʰ¹)
      const type = renderPlain(expr);
      if (args.context === "clipboard") {
        response.body = { result: exactText(value), variablesReference: 0 };
      } else if (typeof value === "number") {
        response.body = { result: valueText(value), type, variablesReference: 0 };
      } else {
        const shown = shownMatrix(args.expression, value, undefined);
        const equation = equationLine(args.expression, program.config.spec, expr);
        response.body = {
          result: equation ? `${equation} · ${shown.value}` : shown.value, type,
          variablesReference: shown.children ? this.handles.create(shown.children) : 0,
          ...(shown.indexed !== undefined && shown.indexed > PAGE ? { indexedVariables: shown.indexed } : {}),
        };
      }
      this.sendResponse(response);
    } catch (failure) {
      this.fail(response, 2003, failure instanceof ExprError ? failure.message : String(failure), true);
    }
  }

  protected completionsRequest(response: DebugProtocol.CompletionsResponse, args: DebugProtocol.CompletionsArguments): void {
    const stepper = this.stepper;
    // the word being typed, `delta.h` or `nor`, ends at the cursor
    const before = args.text.slice(0, Math.max(0, this.convertClientColumnToDebugger(args.column)));
    const word = /[\p{L}_∂][\p{L}\p{N}_]*(\.[\p{L}\p{N}_]*)?$/u.exec(before)?.[0] ?? "";
    const start = this.convertDebuggerColumnToClient(before.length - word.length);
    response.body = {
      targets: stepper ? completions(stepper, word).map((label) => ({ label, start, length: word.length })) : [],
    };
    this.sendResponse(response);
  }

  protected exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse): void {
    const found = this.exception;
    response.body = {
      exceptionId: found?.filter ?? "none", breakMode: "always",
      description: found ? found.description : "no exception at this point",
    };
    this.sendResponse(response);
  }

  protected continueRequest(response: DebugProtocol.ContinueResponse): void {
    if (this.busy(response)) return;
    response.body = { allThreadsContinued: true };
    this.sendResponse(response);
    this.resume("continue");
  }

  protected nextRequest(response: DebugProtocol.NextResponse): void {
    if (this.busy(response)) return;
    this.sendResponse(response);
    this.stepOnce();
  }

  // Into a batched quantity: example 1 of m, then the next example; past the last, on to the next point.
  protected stepInRequest(response: DebugProtocol.StepInResponse): void {
    if (this.busy(response)) return;
    this.sendResponse(response);
    const stepper = this.stepper;
    const m = stepper ? exampleCount(stepper) : 0;
    const next = this.example === undefined ? 0 : this.example + 1;
    if (!stepper?.point || m === 0 || next >= m) return this.stepOnce();
    this.example = next;
    this.stopAt("step");
  }

  protected stepOutRequest(response: DebugProtocol.StepOutResponse): void {
    if (this.busy(response)) return;
    this.sendResponse(response);
    if (this.example !== undefined) {
      this.example = undefined;
      return this.stopAt("step");
    }
    this.resume("stepOut");
  }

  protected stepBackRequest(response: DebugProtocol.StepBackResponse): void {
    if (this.busy(response)) return;
    this.sendResponse(response);
    const stepper = this.stepper;
    if (!stepper) return;
    if (this.example !== undefined) {
      this.example = this.example > 0 ? this.example - 1 : undefined;
    } else if (stepper.position <= 1) {
      this.sendEvent(new OutputEvent("this is the first point of the run; there is nothing before it\n", "console"));
    } else {
      this.moveTo(stepper.position - 1);
    }
    this.stopAt("step");
  }

  protected reverseContinueRequest(response: DebugProtocol.ReverseContinueResponse): void {
    if (this.busy(response)) return;
    this.sendResponse(response);
    const stepper = this.stepper;
    if (!stepper) return;
    // the last point before this one where forward execution would have stopped, or the first point of the run
    let target = 1;
    let found: Hit | undefined;
    this.replayTo(stepper.position - 1, (scan, hit) => {
      target = scan.position;
      found = hit;
    });
    this.moveTo(target);
    const hit = found as Hit | undefined;
    this.exception = hit?.exception;
    this.stopAt(hit ? hit.reason : "entry", hit);
  }

  protected customRequest(command: string, response: DebugProtocol.Response): void {
    const { program, stepper } = this;
    if (command !== "nnet/layerValues") return this.fail(response, 4001, `unknown request '${command}'`);
    if (!program || !stepper?.point || this.running) {
      response.body = { layers: [] };
      return this.sendResponse(response);
    }
    response.body = {
      layers: layerValues(stepper, program).map((values) => ({ ...values, line: this.convertDebuggerLineToClient(values.line) })),
    };
    this.sendResponse(response);
  }

  protected pauseRequest(response: DebugProtocol.PauseResponse): void {
    this.pauseRequested = this.running;
    this.sendResponse(response);
  }

  protected terminateRequest(response: DebugProtocol.TerminateResponse): void {
    this.closed = true;
    this.sendResponse(response);
    this.sendEvent(new TerminatedEvent());
  }

  protected cancelRequest(response: DebugProtocol.CancelResponse, args: DebugProtocol.CancelArguments): void {
    if (args.progressId === loadProgressId) this.loadCancelled = true;
    this.sendResponse(response);
  }

  protected disconnectRequest(response: DebugProtocol.DisconnectResponse, args: DebugProtocol.DisconnectArguments): void {
    this.closed = true;
    super.disconnectRequest(response, args);
  }

  // A client may send a step while a run is going; it gets an answer, not a second run over the first.
  private busy(response: DebugProtocol.Response): boolean {
    if (!this.running) return false;
    this.fail(response, 3001, "the run is going; pause it first");
    return true;
  }

  private moveTo(position: number): void {
    const { stepper, hits } = this.replayTo(position);
    this.stepper = stepper;
    this.hits = hits;
    this.example = undefined;
  }

  /**
   * A fresh run advanced to `position`, with the breakpoint hits it has there. With `visit`, every point
   * where forward execution would stop is told, in order; counting and visiting each look at every point,
   * a plain replay only runs them.
   */
  private replayTo(position: number, visit?: (scan: Stepper, hit: Hit) => void): { stepper: Stepper; hits: Map<number, number> } {
    const hits = new Map<number, number>();
    const look = visit !== undefined || [...this.breakpoints.values()].some((bp) => bp.hitCondition);
    if (!look) return { stepper: (this.stepper as Stepper).replay(position), hits };
    const scan = (this.stepper as Stepper).replay(0);
    while (scan.position < position && scan.advance()) {
      if (!look) continue;
      const hit = this.hitAt(scan, false, hits);
      if (hit && visit) visit(scan, hit);
    }
    return { stepper: scan, hits };
  }

  private stepOnce(): void {
    const stepper = this.stepper;
    if (!stepper) return;
    this.example = undefined;
    if (!stepper.advance()) return this.finish();
    const hit = this.hitAt(stepper, true, this.hits);
    if (hit?.reason === "exception") return this.stopAt("exception", hit);
    this.stopAt("step");
  }

  private resume(mode: "continue" | "stepOut"): void {
    if (!this.stepper) return;
    const phase = this.stepper.point?.phase;
    this.example = undefined;
    this.running = true;
    this.pauseRequested = false;
    // after a whole step that may have made a value non-finite, the points up to here are looked at one by one
    let pointwiseUntil = 0;
    const chunk = (): void => {
      if (this.closed) return;
      for (let i = 0; i < CHUNK; i++) {
        if (this.pauseRequested) return this.stopAt("pause");
        const stepper = this.stepper as Stepper;
        if (mode === "continue" && stepper.position >= pointwiseUntil && this.nothingStopsInNextStep(stepper)) {
          const start = stepper.position;
          stepper.advanceStep();
          i += stepper.plan.length - 1;
          if (this.wants("nonfinite", start) && (stepper.mayBeNonFinite() || (stepper.finished && !stepper.weightsFinite()))) {
            // the step before may be the cause: its update can leave a W that only this step's z shows
            this.stepper = stepper.replay(Math.max(0, start - stepper.plan.length));
            pointwiseUntil = start + stepper.plan.length;
          }
          continue;
        }
        if (!stepper.advance()) return this.finish();
        const hit = this.hitAt(stepper, true, this.hits);
        if (hit) return this.stopAt(hit.reason, hit);
        if (mode === "stepOut" && stepper.point?.phase !== phase) return this.stopAt("step");
      }
      setImmediate(chunk);
    };
    setImmediate(chunk);
  }

  /** Whether a filter is on and has not yet stopped this run before `position`. */
  private wants(filter: Filter, position: number): boolean {
    const first = this.firstTrips.get(filter);
    return this.filters.has(filter) && !(first !== undefined && first < position);
  }

  /**
   * Whether Continue can run the next step whole (as train() does) rather than point by point: no
   * breakpoint or logpoint, no gradient check, and no gradient-trend filter at an epoch's end. A
   * non-finite value is looked for after the step, cheaply, and the step is redone point by point
   * if one may have appeared.
   */
  private nothingStopsInNextStep(stepper: Stepper): boolean {
    if (!stepper.atStepStart || this.breakpoints.size > 0) return false;
    const at = stepper.position;
    if (this.wants("gradcheck", at)) return false;
    const epochEnds = (at / stepper.plan.length) % stepper.batchesPerEpoch === stepper.batchesPerEpoch - 1;
    return !(epochEnds && (this.wants("vanishing", at) || this.wants("exploding", at)));
  }

  // The stop rules at a stepper's point. Each filter stops once per run, at its first trip: a replay
  // finds the same first trips as the live run, because both look at every point from the start.
  private hitAt(stepper: Stepper, live: boolean, hits: Map<number, number>): Hit | undefined {
    const program = this.program as Program;
    const reported = this.firstTrips.size === 0 ? none
      : new Set([...this.firstTrips].filter(([, at]) => at < stepper.position).map(([filter]) => filter));
    const hit = hitAt(stepper, {
      program, breakpoints: this.breakpoints, filters: this.filters, reported, live, hits,
      print: (text, category, line) => {
        const event = new OutputEvent(`${text}\n`, category) as DebugProtocol.OutputEvent;
        event.body.source = new Source(basename(program.path), this.convertDebuggerPathToClient(program.path));
        event.body.line = this.convertDebuggerLineToClient(line);
        this.sendEvent(event);
      },
    });
    if (hit?.exception) {
      const first = this.firstTrips.get(hit.exception.filter);
      if (first === undefined || stepper.position < first) this.firstTrips.set(hit.exception.filter, stepper.position);
    }
    return hit;
  }

  private stopAt(reason: string, hit?: Hit): void {
    this.running = false;
    this.pauseRequested = false;
    this.handles.reset();
    if (reason !== "exception") this.exception = undefined;
    else if (hit?.exception) this.exception = hit.exception;
    const event = new StoppedEvent(reason, THREAD, hit?.text) as DebugProtocol.StoppedEvent;
    if (hit?.text) event.body.description = hit.text;
    if (hit?.ids) event.body.hitBreakpointIds = hit.ids;
    this.sendEvent(event);
  }

  private finish(): void {
    this.running = false;
    const stepper = this.stepper as Stepper;
    this.sendEvent(new OutputEvent(`training finished: ${stepper.totalSteps} steps, last C = ${stepper.loss}\n`, "console"));
    this.sendEvent(new TerminatedEvent());
  }
}

function samePath(a: string, b: string): boolean {
  return process.platform === "win32" ? a.toLowerCase() === b.toLowerCase() : a === b;
}
