// Repeats an async refresh every `ms` after the previous one finished, until stopped. Failures
// are shown in the view (not thrown), so a transient API error does not stop the page.
export function poll(fn, ms, onError) {
  let timer = null, stopped = false;
  const tick = async () => {
    try { await fn(); } catch (e) { onError?.(e); }
    if (!stopped) timer = setTimeout(tick, ms);
  };
  tick();
  return () => { stopped = true; clearTimeout(timer); };
}
