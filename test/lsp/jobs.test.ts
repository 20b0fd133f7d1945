import { describe, expect, it } from "vitest";
import { unavailableRunner } from "../../server/src/lsp/index";

describe("the runner used when training is turned off", () => {
  it("refuses jobs with a clear message and stops nothing", async () => {
    const context = { uri: "file:///a.nnet", text: "", version: 1, progress: () => undefined, done: () => undefined };
    await expect(unavailableRunner.train({ uri: "file:///a.nnet" }, context)).rejects.toThrow("training is not available");
    await expect(unavailableRunner.gradcheck({ uri: "file:///a.nnet" }, context)).rejects.toThrow("training is not available");
    await expect(unavailableRunner.stop({})).resolves.toEqual({ stopped: 0 });
  });
});
