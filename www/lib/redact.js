// What the page may show of a value: card numbers cut to their last four
// digits, CVVs and tokens replaced, and any secret the page knows of (the
// access token, a view token) removed from free text. Used for everything
// the call log and the notices display.

const DOTS = "•••";

/** "•••• 1111" for anything holding at least four digits. */
export function maskPan(value) {
  const digits = String(value ?? "").replace(/\D/g, "");
  return digits.length >= 4 ? `•••• ${digits.slice(-4)}` : "••••";
}

const PAN_KEYS = new Set(["pan", "card", "cardnumber", "number"]);
const CVV_KEYS = new Set(["cvv", "cvc", "cvv2", "cvc2", "pin"]);

/** A redacted deep copy of a JSON-like value. */
export function redact(value, secrets = []) {
  if (Array.isArray(value)) return value.map((v) => redact(v, secrets));
  if (value && typeof value === "object") {
    const out = {};
    for (const [key, v] of Object.entries(value)) {
      const k = key.toLowerCase();
      if (PAN_KEYS.has(k) && (typeof v === "string" || typeof v === "number")) out[key] = maskPan(v);
      else if (CVV_KEYS.has(k)) out[key] = DOTS;
      else if (k.includes("token") || k === "authorization" || k === "secret") out[key] = DOTS;
      else out[key] = redact(v, secrets);
    }
    return out;
  }
  if (typeof value === "string") return scrub(value, secrets);
  return value;
}

/** Free text without secrets: known secrets, digit runs that could be card numbers, view tokens. */
export function scrub(text, secrets = []) {
  let out = String(text);
  for (const secret of secrets) {
    if (typeof secret === "string" && secret.length >= 4) out = out.split(secret).join(DOTS);
  }
  return out
    .replace(/([?&]token=)[^&#\s]*/gi, `$1${DOTS}`)
    .replace(/\bvt_[A-Za-z0-9]+/g, `vt_${DOTS}`)
    .replace(/\d(?:[ -]?\d){11,18}/g, (run) => maskPan(run));
}
