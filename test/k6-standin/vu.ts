/**
 * One VU of the stand-in, in its own thread: a fresh `node:vm` context with k6's globals
 * (`__ENV`, `__VU`, `__ITER`, `console`) and nothing of Node's, the bundle evaluated there as an
 * ES module linked against the stand-in k6 modules, then iterations on command. Built by esbuild
 * into a plain .mjs at start (worker threads do not load TypeScript); needs --experimental-vm-modules.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { parentPort, workerData } from 'node:worker_threads';
import { BUILTIN, type VuState } from './k6-common.js';
import { createK6Modules } from './k6-modules.js';
import type { VuCommand, VuEvent, VuInit } from './protocol.js';
import { VuChannel } from './sync-io.js';

const init = workerData as VuInit;
const post = (e: VuEvent) => parentPort!.postMessage(e);
const state: VuState = {
  vu: init.vu,
  scenario: init.scenario,
  iteration: null,
  vuTags: {},
  metadata: {},
  group: '',
  points: [],
  options: null,
};
const text = (args: unknown[]) => args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
type Level = 'log' | 'info' | 'warn' | 'error' | 'debug';
const consoleOf = (level: Level) => (...args: unknown[]) => post({ kind: 'console', level, text: text(args) });
const globals = {
  __ENV: { ...init.env },
  __VU: init.vu,
  __ITER: 0,
  console: Object.fromEntries((['log', 'info', 'warn', 'error', 'debug'] as const).map((l) => [l, consoleOf(l)])),
};
const context = vm.createContext(globals, { name: `VU ${init.vu}` });
const modules = createK6Modules(state, new VuChannel(init.signal, init.port));
const imports: string[] = [];

type Namespace = Record<string, unknown>;
let ns: Namespace;
try {
  const identifier = pathToFileURL(init.bundleFile).href;
  const root = new vm.SourceTextModule(readFileSync(init.bundleFile, 'utf8'), { context, identifier });
  const linked = new Map<string, vm.SyntheticModule>();
  await root.link((specifier) => {
    const exports = modules[specifier];
    if (!exports) throw new Error(`the k6 stand-in has no module "${specifier}" (imported by the bundle)`);
    let m = linked.get(specifier);
    if (!m) {
      imports.push(specifier);
      m = new vm.SyntheticModule(Object.keys(exports), function (this: vm.SyntheticModule) {
        for (const [k, v] of Object.entries(exports)) this.setExport(k, v);
      }, { context, identifier: specifier });
      linked.set(specifier, m);
    }
    return m;
  });
  await root.evaluate();
  ns = root.namespace as Namespace;
  state.options = JSON.parse(JSON.stringify(ns.options ?? {})) as unknown;
  post({ kind: 'ready', vu: init.vu, imports, exports: Object.keys(ns), options: state.options });
} catch (e) {
  post({ kind: 'init-failed', vu: init.vu, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  process.exit(1);
}

function flush(): void {
  if (state.points.length > 0) post({ kind: 'points', points: state.points.splice(0) });
}

let iterationInInstance = 0;
parentPort!.on('message', (cmd: VuCommand) => {
  if (cmd.kind === 'exit') process.exit(0);
  const fn = ns[cmd.fn];
  if (typeof fn !== 'function') {
    post({ kind: 'done', vu: init.vu, error: `the bundle exports no ${cmd.fn} function` });
    return;
  }
  const isDefault = cmd.fn === 'default';
  state.scenario = cmd.scenario;
  // setup and teardown may use the k6 APIs an iteration can
  const inInstance = isDefault ? iterationInInstance : 0;
  state.iteration = { inTest: cmd.iterationInTest, inScenario: cmd.iterationInScenario, inInstance };
  globals.__ITER = iterationInInstance;
  const started = Date.now();
  let error: string | undefined;
  let result: unknown;
  try {
    const data = cmd.data === undefined ? undefined : (JSON.parse(cmd.data) as unknown);
    result = (fn as (d: unknown) => unknown)(data);
    if (result && typeof (result as { then?: unknown }).then === 'function') {
      error = `${cmd.fn} returned a promise: the stand-in runs synchronous code only`;
    }
  } catch (e) {
    error = e instanceof Error ? (e.stack ?? e.message) : String(e);
  }
  if (isDefault) {
    const tags = { group: '', scenario: state.scenario.name };
    const now = Date.now();
    const [type, contains] = BUILTIN.iteration_duration!;
    state.points.push({ metric: 'iteration_duration', type, contains, timeMs: now, value: now - started, tags });
    if (!error) state.points.push({ metric: 'iterations', type: 'counter', contains: 'default', timeMs: now, value: 1, tags });
    iterationInInstance++;
  }
  state.iteration = null;
  flush();
  const setupData = cmd.fn === 'setup' && result !== undefined ? JSON.stringify(result) : undefined;
  post({ kind: 'done', vu: init.vu, ...(error ? { error } : {}), ...(setupData ? { setupData } : {}) });
});
