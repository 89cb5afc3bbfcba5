// The renderer's Content Security Policy and the other headers every app://coffer response carries.

/**
 * Written once, as a literal assigned to its header, so scanners (electronegativity's CSP check)
 * evaluate the real value. Why each part:
 * - default-src 'self' and script-src 'self': code only from the app's own files; no 'unsafe-eval'
 *   and no inline script (a Svelte build needs neither).
 * - style-src 'self' with style-src-attr 'unsafe-inline': style sheets only from the app's files,
 *   while Svelte templates may still carry style="" attributes. CSS cannot call home either way:
 *   img-src, font-src and connect-src stay on the app's origin.
 * - img-src adds data: for small inline icons.
 * - object-src, base-uri, form-action, frame-src, frame-ancestors 'none': no plugins, no base-URL
 *   hijack, no form posts, no frames in or around the app (Electron security checklist, item 7).
 */
function policyHeader(): Record<string, string> {
  const header: Record<string, string> = {};
  header['Content-Security-Policy'] =
    "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-src 'none'; frame-ancestors 'none'";
  return header;
}

export const CONTENT_SECURITY_POLICY: string = policyHeader()['Content-Security-Policy']!;

/** The same policy for a <meta http-equiv> tag, which ignores frame-ancestors (browsers warn when it is there). */
export const CONTENT_SECURITY_POLICY_META = CONTENT_SECURITY_POLICY.split('; ')
  .filter((directive) => !directive.startsWith('frame-ancestors'))
  .join('; ');

/** Headers for every response of the app scheme, whatever its status; `contentType` is the body's media type. */
export function appResponseHeaders(contentType: string): Record<string, string> {
  return {
    'Content-Type': contentType,
    ...policyHeader(),
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-cache',
  };
}
