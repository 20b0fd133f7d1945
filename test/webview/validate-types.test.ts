/**
 * The validators are typed against the one declaration of what they check:
 * tsc -b (which type-checks this file) fails on each line marked
 * @ts-expect-error if that stops being an error, so a field or member added
 * to a type and not validated cannot compile.
 */
import { describe, expect, it } from "vitest";
import { choice, count, name, optional, shape, variants, type Check } from "../../server/src/protocol/validate";

interface Layer {
  name: string;
  units: number;
  activation?: string;
}
type Kind = "dense" | "add";
type Message = { type: "a"; n: number } | { type: "b" };

describe("validators typed against their types", () => {
  it("need a check for every field, optional exactly where the type is", () => {
    // @ts-expect-error: `activation` has no check
    shape<Layer>({ name, units: count });
    // @ts-expect-error: `activation` is optional in Layer and must be checked as optional
    shape<Layer>({ name, units: count, activation: name });
    // @ts-expect-error: `units` is required in Layer and cannot be checked as optional
    shape<Layer>({ name, units: optional(count), activation: optional(name) });
    const layer = shape<Layer>({ name, units: count, activation: optional(name) });
    expect(layer({ name: "h", units: 3, extra: 1 })).toEqual({ name: "h", units: 3 });
    expect(layer({ name: "h", units: 3, activation: "tanh" })).toEqual({ name: "h", units: 3, activation: "tanh" });
    expect(layer({ name: "h" })).toBeUndefined();
    expect(layer({ name: "h", units: 3, activation: 4 })).toBeUndefined();
  });

  it("need every member of a union of names", () => {
    // @ts-expect-error: "add" is missing
    choice<Kind>({ dense: true });
    // @ts-expect-error: "concat" is not a Kind
    choice<Kind>({ dense: true, add: true, concat: true });
    const kind = choice<Kind>({ dense: true, add: true });
    expect([kind("add"), kind("concat"), kind("toString"), kind(1)]).toEqual(["add", undefined, undefined, undefined]);
  });

  it("need a check for every variant of a tagged union", () => {
    const a: Check<Extract<Message, { type: "a" }>> = shape<Extract<Message, { type: "a" }>>({ type: (v) => (v === "a" ? "a" : undefined), n: count });
    // @ts-expect-error: variant "b" has no check
    variants<Message, "type">("type", { a });
    const message = variants<Message, "type">("type", { a, b: shape<Extract<Message, { type: "b" }>>({ type: (v) => (v === "b" ? "b" : undefined) }) });
    expect([message({ type: "a", n: 2 }), message({ type: "b" }), message({ type: "c" }), message({ type: "hasOwnProperty" })])
      .toEqual([{ type: "a", n: 2 }, { type: "b" }, undefined, undefined]);
  });
});
