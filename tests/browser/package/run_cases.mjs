// Shared by the page and the worker: load the package exactly as a browser app would (an ES module
// beside its .wasm, no bundler), then validate each case and time the first result.
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
  return {
    results,
    streamed: { summary: finished.summary, findings: streamed.concat(finished.findings) },
    events: v.catalog.events.length,
    checklistStart: v.checklist().slice(0, 40),
    firstResultMs,
  };
}
