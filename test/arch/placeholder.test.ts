import { describe, it, expect } from "vitest";
import { defaultTrainSpec } from "../../server/src/engine/spec";

describe("skeleton", () => {
  it("has the documented train defaults", () => {
    expect(defaultTrainSpec.epochs).toBe(100);
  });
});
