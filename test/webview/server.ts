/**
 * A tiny HTTP server on 127.0.0.1 for the browser test: the panel page as
 * the extension host builds it (same HTML, same CSP), the bundle from
 * out/webview, and the harness standing in for VS Code.
 */
import { createServer, type Server } from "node:http";
import { readFile } from "node:fs/promises";
import { join, normalize } from "node:path";
import { pathToFileURL } from "node:url";

export const repoRoot = join(__dirname, "..", "..");

interface PanelPageModule {
  panelHtml(assets: { cspSource: string; scriptUri: string; styleUris: string[]; nonce: string }): string;
  createNonce(): string;
}

const types: Record<string, string> = { ".js": "text/javascript", ".css": "text/css", ".map": "application/json" };

export interface HarnessServer {
  url: string;
  close(): Promise<void>;
}

export async function startHarnessServer(): Promise<HarnessServer> {
  // The host's own page builder, loaded as a module so the test uses the real CSP.
  const page = (await import(pathToFileURL(join(repoRoot, "client/src/panel/html.ts")).href)) as PanelPageModule;
  let origin = "";
  const server: Server = createServer(async (request, response) => {
    const path = new URL(request.url ?? "/", "http://127.0.0.1").pathname;
    if (path === "/") {
      const nonce = page.createNonce();
      const html = page.panelHtml({
        cspSource: origin,
        scriptUri: `${origin}/webview/main.js`,
        styleUris: [`${origin}/webview/uPlot.min.css`, `${origin}/webview/panel.css`],
        nonce,
      });
      // VS Code injects acquireVsCodeApi before the page's scripts run; so does the harness.
      const withHarness = html.replace("<title>", `<script nonce="${nonce}" src="${origin}/harness.js"></script>\n    <title>`);
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(withHarness);
      return;
    }
    const file = path === "/harness.js" ? join(__dirname, "harness.js") : normalize(join(repoRoot, "out", path));
    if (!file.startsWith(join(repoRoot, "out", "webview")) && path !== "/harness.js") {
      response.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(file);
      response.writeHead(200, { "content-type": types[file.slice(file.lastIndexOf("."))] ?? "application/octet-stream" }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
