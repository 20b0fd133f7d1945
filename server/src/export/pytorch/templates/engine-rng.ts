/** engine_rng.py: the engine's generator (server/src/engine/rng.ts), so train.py draws the engine's dropout masks. */
export const engineRngPy = String.raw`"""NNet Lab's random stream in Python: xoshiro128** seeded through splitmix32,
as server/src/engine/rng.ts. The same seed gives the same numbers, so
train.py feeds dropout the engine's own masks, drawn in the engine's order.
Plain Python: a few seconds per million draws (train.py --torch-dropout is
the fast, inexact alternative).
"""
MASK = 0xFFFFFFFF


def _imul(a, b):
    return (a * b) & MASK


def _rotl(x, k):
    return ((x << k) | (x >> (32 - k))) & MASK


def _int32(x):
    x &= MASK
    return x - 0x100000000 if x & 0x80000000 else x


class EngineRng:
    def __init__(self, seed):
        # JavaScript's seed >>> 0 ^ Math.floor(seed / 2**32) >>> 0, for a seed that may be a negative int32
        state = (seed & MASK) ^ ((seed // 0x100000000) & MASK)
        words = []
        for _ in range(4):
            state = (state + 0x9E3779B9) & MASK
            z = state
            z = _imul(z ^ (z >> 16), 0x85EBCA6B)
            z = _imul(z ^ (z >> 13), 0xC2B2AE35)
            words.append((z ^ (z >> 16)) & MASK)
        self.s0, self.s1, self.s2, self.s3 = words

    @staticmethod
    def derive(seed, purpose):
        """A stream for one purpose ("dropout", "shuffle", ...), as Rng.derive."""
        h = 0x811C9DC5
        for ch in purpose:
            h = _imul(h ^ ord(ch), 0x01000193)
        high = _imul((seed // 0x100000000) & MASK, 0x27D4EB2D)
        return EngineRng(_int32(((seed ^ h) & MASK) ^ high))

    def next_uint32(self):
        s0, s1, s2, s3 = self.s0, self.s1, self.s2, self.s3
        result = _imul(_rotl(_imul(s1, 5), 7), 9)
        t = (s1 << 9) & MASK
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        self.s0, self.s1, self.s2, self.s3 = s0, s1, s2, _rotl(s3, 11)
        return result

    def next(self):
        """Uniform in [0, 1) with 53 random bits."""
        high = self.next_uint32() >> 5
        low = self.next_uint32() >> 6
        return (high * 67108864 + low) / 9007199254740992.0

    def uniforms(self, count):
        """The next count numbers of next(), with the state in locals: the same stream, about half the time."""
        s0, s1, s2, s3 = self.s0, self.s1, self.s2, self.s3
        out = [0.0] * count
        for k in range(count):
            x = (s1 * 5) & MASK
            high = ((((x << 7) | (x >> 25)) & MASK) * 9 & MASK) >> 5
            t = (s1 << 9) & MASK
            s2 ^= s0
            s3 ^= s1
            s1 ^= s2
            s0 ^= s3
            s2 ^= t
            s3 = ((s3 << 11) | (s3 >> 21)) & MASK
            x = (s1 * 5) & MASK
            low = ((((x << 7) | (x >> 25)) & MASK) * 9 & MASK) >> 6
            t = (s1 << 9) & MASK
            s2 ^= s0
            s3 ^= s1
            s1 ^= s2
            s0 ^= s3
            s2 ^= t
            s3 = ((s3 << 11) | (s3 >> 21)) & MASK
            out[k] = (high * 67108864 + low) / 9007199254740992.0
        self.s0, self.s1, self.s2, self.s3 = s0, s1, s2, s3
        return out

    def skip(self, count):
        while count > 0:
            step = min(count, 1 << 20)
            self.uniforms(step)
            count -= step

    def dropout_mask(self, rate, units, examples):
        """The engine's inverted-dropout mask for one forward pass, drawn unit by unit, each over the batch's
        examples (server/src/engine/passes.ts), returned as rows of examples: 0 with probability rate, else 1/(1 - rate)."""
        keep = 1.0 / (1.0 - rate)
        draws = [0.0 if u < rate else keep for u in self.uniforms(units * examples)]
        return [draws[e::examples] for e in range(examples)]
`;
