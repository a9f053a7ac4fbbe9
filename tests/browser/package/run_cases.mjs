// Shared by the page and the worker: load the package exactly as a browser app would (an ES module
// beside its .wasm, no bundler), then validate each case and time the first result; then call the
// tools, whose module the package loads on that first call (after every result above).
// `loaded()` says which of the package's .wasm files the context has fetched so far.
const wasmLoaded = () => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname).filter((p) => p.endsWith('.wasm'));

export async function runCases(packageUrl, cases) {
  const started = performance.now();
  const { createValidator } = await import(packageUrl);
  const v = await createValidator();
  const results = [];
  let firstResultMs = null;
  for (const c of cases) {
    results.push(v.validate(c.input, c.options));
    if (firstResultMs === null) firstResultMs = performance.now() - started;
  }
  const session = v.createSession(cases[0]?.options);
  const streamed = [];
  const bytes = new TextEncoder().encode(cases.map((c) => c.input).join('\n'));
  for (let i = 0; i < bytes.length; i += 7) streamed.push(...session.push(bytes.subarray(i, i + 7)));
  const finished = session.finish();
  const wasmBeforeTools = wasmLoaded();
  const event = JSON.parse(cases[0].input);
  const report = await v.createReport({ format: 'json', inputs: ['a'], now: '2030-01-01T00:00:00Z' });
  const reported = report.begin() + report.beginInput('a') + report.push(cases[0].input);
  const reportEnd = report.endInput();
  const reportRun = report.finish();
  const tools = {
    schema: await v.jsonSchema(event.event_name),
    cloudEvent: await v.toCloudEvent(event),
    compatOk: (await v.compat(v.catalog, v.catalog)).ok,
    report: JSON.parse(reportRun.head + reported + reportEnd.head + reportEnd.tail + reportRun.tail),
  };
  return {
    wasmBeforeTools,
    wasmAfterTools: wasmLoaded(),
    tools,
    results,
    streamed: { summary: finished.summary, findings: streamed.concat(finished.findings) },
    events: v.catalog.events.length,
    checklistStart: v.checklist().slice(0, 40),
    firstResultMs,
  };
}
