/** The training panel's extension side: the one surface the rest of the extension uses. */
export { TrainingPanel, registerTrainingPanelSerializer, type RunStart, type TrainingPanelDeps } from "./training-panel";
export { contentSecurityPolicy, panelHtml, createNonce, type PanelPageAssets } from "./html";
