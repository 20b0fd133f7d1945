/** Names, shapes, validation and compilation of .nnet networks. */
export { analyze, diagnosticsOf, findNetwork, networksNamed, closestNetwork, maxDiagnostics, type Analysis, type AnalyzeOptions } from "./analyze";
export type { CsvUse, DataModel, Diagnostic, FileAccess, Fix, InputModel, LayerModel, Model, NetworkModel, Reference, Severity, TextEdit } from "./model";
export {
  activations, dataSources, generatorNames, gradcheckKeys, initialisers, irisRows, lookup, losses, optimizers, reluFamily, schedules, stopEarly, monitors, spellings, trainKeys,
  type DataSourceInfo, type KeyInfo, type NameInfo, type ParamInfo,
} from "./catalog";
export { csvRows, csvShape, readCsvTable, type CsvColumns, type CsvProblem, type CsvShape, type CsvTable } from "./csv";
export { columnProblemMessage, selectColumns, type ColumnProblem, type ColumnRole, type ColumnSelection } from "./columns";
export { closest, didYouMean, editDistance } from "../suggest";
export { gradcheckSpec, networkSpec, trainSpec } from "./compile";
export { networkChecks, type Accept, type CheckContext, type NetworkCheck } from "./checks";
export { networkSummary } from "./summary";
export { maxCount, maxParameters } from "./ranges";
