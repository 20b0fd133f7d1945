// Stands in for the VS Code webview host: acquireVsCodeApi, theme variables
// on <html> and the body's theme class, as VS Code sets them. Loaded before
// the panel's bundle, under the panel's own CSP (it carries the page nonce).
(function () {
  "use strict";
  const posted = [];
  const violations = [];
  // resolvers waiting for the page to post a message of a type
  const awaited = [];
  const stateKey = "nnet-harness-state";
  let memoryState;
  // A fresh page is a webview that never saved anything.
  if (new URLSearchParams(location.search).has("fresh")) sessionStorage.removeItem(stateKey);
  document.addEventListener("securitypolicyviolation", (event) => {
    violations.push(`${event.violatedDirective} ${event.blockedURI}`);
  });

  const themes = {
    dark: {
      "--vscode-foreground": "#cccccc",
      "--vscode-descriptionForeground": "#9d9d9d",
      "--vscode-editor-background": "#1f1f1f",
      "--vscode-sideBar-background": "#181818",
      "--vscode-panel-border": "#2b2b2b",
      "--vscode-focusBorder": "#0078d4",
      "--vscode-button-background": "#0078d4",
      "--vscode-button-foreground": "#ffffff",
      "--vscode-button-hoverBackground": "#026ec1",
      "--vscode-button-secondaryBackground": "#313131",
      "--vscode-button-secondaryForeground": "#cccccc",
      "--vscode-charts-blue": "#3794ff",
      "--vscode-charts-red": "#f14c4c",
      "--vscode-charts-green": "#89d185",
      "--vscode-charts-orange": "#d18616",
      "--vscode-charts-purple": "#b180d7",
      "--vscode-charts-yellow": "#cca700",
      "--vscode-testing-iconPassed": "#73c991",
      "--vscode-testing-iconFailed": "#f14c4c",
      "--vscode-errorForeground": "#f85149",
      "--vscode-font-family": "system-ui, 'Segoe UI', Ubuntu, sans-serif",
      "--vscode-font-size": "13px",
    },
    light: {
      "--vscode-foreground": "#3b3b3b",
      "--vscode-descriptionForeground": "#717171",
      "--vscode-editor-background": "#ffffff",
      "--vscode-sideBar-background": "#f8f8f8",
      "--vscode-panel-border": "#e5e5e5",
      "--vscode-charts-blue": "#1a85ff",
      "--vscode-charts-red": "#e51400",
      "--vscode-charts-green": "#388a34",
      "--vscode-charts-orange": "#d18616",
      "--vscode-charts-purple": "#652d90",
      "--vscode-charts-yellow": "#bf8803",
      "--vscode-testing-iconPassed": "#388a34",
      "--vscode-testing-iconFailed": "#e51400",
    },
  };

  function setTheme(name) {
    const root = document.documentElement;
    root.removeAttribute("style");
    for (const [key, value] of Object.entries(themes[name])) root.style.setProperty(key, value);
    const apply = () => { document.body.className = `vscode-${name}`; };
    if (document.body) apply();
    else document.addEventListener("DOMContentLoaded", apply, { once: true });
  }

  window.acquireVsCodeApi = function () {
    return {
      postMessage(message) {
        const copy = JSON.parse(JSON.stringify(message));
        posted.push(copy);
        for (const waiter of awaited.splice(0)) {
          if (waiter.type === copy.type) waiter.resolve(copy);
          else awaited.push(waiter);
        }
      },
      getState() {
        if (memoryState !== undefined) return memoryState;
        const text = sessionStorage.getItem(stateKey);
        return text ? JSON.parse(text) : undefined;
      },
      setState(state) {
        memoryState = JSON.parse(JSON.stringify(state));
        try { sessionStorage.setItem(stateKey, JSON.stringify(state)); } catch { sessionStorage.removeItem(stateKey); }
      },
    };
  };

  /** Pixels of a canvas that are drawn, and those within `tolerance` of `color` (hex). */
  function canvasPixels(selector, color, tolerance) {
    const canvas = document.querySelector(selector);
    if (!canvas) return undefined;
    const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
    const target = color ? [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16)) : undefined;
    let drawn = 0;
    let matching = 0;
    const colours = new Set();
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] === 0) continue;
      drawn++;
      colours.add((data[i] >> 4) * 256 + (data[i + 1] >> 4) * 16 + (data[i + 2] >> 4));
      if (target && data[i + 3] > 200 && target.every((c, k) => Math.abs(data[i + k] - c) <= tolerance)) matching++;
    }
    return { drawn, matching, distinct: colours.size, width: canvas.width, height: canvas.height };
  }

  const frame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));

  // Posted messages arrive in order, so once a marker posted after them has
  // arrived, so have they; two frames later the panel has drawn them.
  let markers = 0;
  const arrived = new Map();
  window.addEventListener("message", (event) => {
    const id = event.data && event.data.harnessMarker;
    if (id === undefined) return;
    event.stopImmediatePropagation();
    arrived.get(id)?.();
  });
  function settle() {
    const id = ++markers;
    return new Promise((resolve) => {
      arrived.set(id, () => { arrived.delete(id); frame().then(resolve); });
      window.postMessage({ harnessMarker: id }, "*");
    });
  }

  /** Resolves with the next message of `type` the page posts (or the last one, if it has posted one since `since`). */
  function nextPosted({ type, since }) {
    const already = posted.slice(since).find((message) => message.type === type);
    if (already) return Promise.resolve(already);
    return new Promise((resolve) => awaited.push({ type, resolve }));
  }

  window.harness = {
    posted,
    nextPosted,
    violations,
    setTheme,
    canvasPixels,
    frame,
    send(message) { window.postMessage(message, "*"); },
    sendAll(messages) { messages.forEach((m) => window.postMessage(m, "*")); return settle(); },
    settle,
    state() { return memoryState; },
  };
  setTheme(sessionStorage.getItem("nnet-harness-theme") || "dark");
})();
