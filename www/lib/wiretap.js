// Lets the call log show what went over the wire for one SDK call: method,
// URL and HTTP status of every attempt (retries included). The SDK resolves
// to the response's data and needs none of this; an app would not either.
// It works by wrapping the global `fetch`, which the SDK calls for each
// attempt. The page runs one operation at a time, so every request seen
// between start() and stop() belongs to that operation.

const realFetch = globalThis.fetch.bind(globalThis);
let current = null;

globalThis.fetch = async function tappedFetch(input, init) {
  const url = typeof input === "string" ? input : input instanceof URL ? input.href : input?.url;
  const recorder = current;
  const attempt =
    recorder && typeof url === "string" && url.startsWith(recorder.prefix)
      ? { method: (init?.method ?? input?.method ?? "GET").toUpperCase(), url, status: null, failure: null }
      : null;
  if (attempt) recorder.attempts.push(attempt);
  try {
    const response = await realFetch(input, init);
    if (attempt) attempt.status = response.status;
    return response;
  } catch (err) {
    if (attempt) attempt.failure = err?.name === "AbortError" ? "aborted" : "network error";
    throw err;
  }
};

/** Starts recording requests whose URL starts with `prefix`; call the returned function to stop. */
export function startRecording(prefix) {
  const recorder = { prefix, attempts: [] };
  current = recorder;
  return () => {
    if (current === recorder) current = null;
    return recorder.attempts;
  };
}

/** The untapped fetch, for the page's own requests to the local gateway's admin API. */
export { realFetch };
