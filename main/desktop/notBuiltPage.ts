// The page app://coffer/ shows when the renderer has not been built: the app still runs, in the tray, with the agent.
import { CONTENT_SECURITY_POLICY_META } from './csp.js';

/** Plain HTML with no script and no inline style, so the same strict policy applies to it. */
export function notBuiltPage(rendererDir: string): string {
  const where = rendererDir.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY_META}">
<title>Coffer</title>
</head>
<body>
<h1>Coffer</h1>
<p>The user interface is not built yet: there is no <code>index.html</code> in <code>${where}</code>.</p>
<p>The agent is running and your folders keep syncing. Use the tray menu, or the <code>coffer</code> command line, until the interface is built.</p>
</body>
</html>
`;
}
