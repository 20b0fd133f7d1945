// The training panel inside a real VS Code (code-server 4.100.3), driven by
// Debian's Chromium: it renders under VS Code's own webview CSP, a gradient-check
// click reaches the extension, Export CSV saves through the save dialog, and a
// window reload brings the panel back through the serializer.
// Run: node test/webview/vscode/run.mjs   (needs .ci/install-e2e.sh done once)
import { build } from "esbuild";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launchBrowser, openPage } from "../../e2e/lib/browser.mjs";
import { createProfile, ensureCodeServer, removeProfile, repoRoot, startCodeServer, stopCodeServer, workbenchUrl } from "../../e2e/lib/code-server.mjs";
import { Workbench } from "../../e2e/ui/workbench.mjs";

const results = join(repoRoot, "test-results/webview");
const failures = [];
const check = (what, ok, detail = "") => {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}${detail ? `: ${detail}` : ""}`);
  if (!ok) failures.push(what);
};

async function demoExtension() {
  if (!existsSync(join(repoRoot, "out/webview/main.js"))) throw new Error("out/webview/main.js is missing: run node scripts/build.mjs");
  const folder = mkdtempSync(join(tmpdir(), "nnet-panel-demo-"));
  writeFileSync(join(folder, "package.json"), JSON.stringify({
    name: "nnet-panel-demo", publisher: "nnet-lab", version: "0.0.0", engines: { vscode: "^1.100.0" },
    main: "./out/extension.js", activationEvents: ["onStartupFinished", "onWebviewPanel:nnet.trainingPanel"],
    contributes: { commands: [{ command: "nnetPanelDemo.show", title: "NNet Panel Demo: Show" }] },
  }));
  await build({
    entryPoints: [join(repoRoot, "test/webview/vscode/demo-extension.js")], bundle: true, platform: "node",
    format: "cjs", target: "node20", external: ["vscode"], outfile: join(folder, "out/extension.js"), logLevel: "warning",
  });
  cpSync(join(repoRoot, "out/webview"), join(folder, "out/webview"), { recursive: true });
  return folder;
}

async function loss(view) {
  return view.locator("body").evaluate(() => {
    const canvas = document.querySelector(".chart-loss canvas");
    const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    let drawn = 0;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) drawn++;
    return {
      points: document.querySelector(".chart-loss .chart").dataset.points, drawn,
      status: document.querySelector(".status").textContent, rows: document.querySelectorAll(".gradcheck tbody tr").length,
      theme: document.body.className,
    };
  });
}

ensureCodeServer();
mkdirSync(results, { recursive: true });
const extension = await demoExtension();
process.env.NNET_E2E_EXTENSION = extension;
const profile = createProfile(["panel"]);
const settingsFile = join(profile.dir, "user/User/settings.json");
writeFileSync(settingsFile, JSON.stringify({ ...JSON.parse(readFileSync(settingsFile, "utf8")), "workbench.colorTheme": "Default Dark Modern" }));
const server = await startCodeServer(profile);
const browser = await launchBrowser(profile.dir);
const cspErrors = [];
try {
  const { page, problems } = await openPage(browser);
  page.on("console", (message) => /Content Security Policy|Refused to/.test(message.text()) && cspErrors.push(message.text()));
  await page.goto(workbenchUrl(server, profile.workspaces.panel));
  const workbench = new Workbench(page, results);
  await workbench.waitUntilReady();
  // the development extension activates on startup finished; give its commands a moment to register
  await page.waitForTimeout(3000);
  await workbench.runCommand("NNet Panel Demo: Show");
  const view = workbench.webview();
  await view.locator(".gradcheck tbody tr").first().waitFor({ timeout: 30_000 });
  await page.waitForTimeout(1000);
  const shown = await loss(view);
  check("the panel draws 300 epochs in VS Code's webview", shown.points === "300" && shown.drawn > 1000, JSON.stringify(shown));
  check("it follows VS Code's dark theme", shown.theme.includes("vscode-dark"), shown.theme);
  await page.screenshot({ path: join(results, "vscode-panel.png") });

  await view.locator(".gradcheck tbody tr[data-layer='h2']").click();
  const toast = page.locator(".notifications-toasts .notification-list-item", { hasText: "reveal h2" });
  check("a gradient-check row click reaches the extension", await toast.first().waitFor({ timeout: 10_000 }).then(() => true, () => false));

  const saved = join(profile.workspaces.panel, "circle-history.csv");
  await view.locator(".export-csv").click();
  await page.locator(".quick-input-widget .quick-input-box input").waitFor();
  await page.keyboard.press("Enter");
  await page.waitForTimeout(1500);
  const csv = existsSync(saved) ? readFileSync(saved, "utf8").split("\r\n") : [];
  check("Export CSV saves beside the document", csv.length === 302 && csv[0].startsWith("epoch,loss,valLoss"), `${csv.length} lines`);

  await page.reload();
  await workbench.waitUntilReady();
  await workbench.webview().locator(".gradcheck tbody tr").first().waitFor({ timeout: 30_000 });
  await page.waitForTimeout(1000);
  const restored = await loss(workbench.webview());
  check("a window reload restores the panel through its serializer", restored.points === "300" && restored.rows === 4, JSON.stringify(restored));
  await page.screenshot({ path: join(results, "vscode-panel-restored.png") });
  check("no CSP violations", cspErrors.length === 0, cspErrors.join(" | "));
  check("no console errors", problems.length === 0, problems.join(" | "));
} finally {
  await browser.close();
  await stopCodeServer(server);
  removeProfile(profile);
  rmSync(extension, { recursive: true, force: true });
}
console.log(`vscode panel: ${failures.length === 0 ? "all passed" : `${failures.length} failed`}`);
process.exit(failures.length === 0 ? 0 : 1);
