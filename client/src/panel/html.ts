/**
 * The panel's page. Only the bundled script with this load's nonce may run;
 * styles and images come from the extension's `out/webview` folder alone.
 * uPlot sizes its elements through the CSSOM (element.style.x = …), which a
 * style-src without 'unsafe-inline' allows, so none is granted.
 */
import { randomBytes } from "node:crypto";

export interface PanelPageAssets {
  /** the webview's `cspSource` */
  cspSource: string;
  scriptUri: string;
  styleUris: string[];
  nonce: string;
}

/** A fresh nonce per page load: 192 random bits. */
export function createNonce(): string {
  return randomBytes(24).toString("base64url");
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
}

const escapeAttribute = (value: string) =>
  value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function panelHtml(assets: PanelPageAssets): string {
  const nonce = escapeAttribute(assets.nonce);
  const styles = assets.styleUris.map((uri) => `    <link rel="stylesheet" href="${escapeAttribute(uri)}">`).join("\n");
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${escapeAttribute(contentSecurityPolicy(assets.cspSource, assets.nonce))}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
${styles}
    <title>NNet training</title>
  </head>
  <body>
    <main id="app"></main>
    <script nonce="${nonce}" src="${escapeAttribute(assets.scriptUri)}"></script>
  </body>
</html>
`;
}
