"""A Python replica of the project's SeededGenerator (xoshiro256** seeded through SplitMix64,
Sources/Environments/SeededGenerator.swift), so that reference traces can be produced with
exactly the random draws the Swift environments make."""
MASK = (1 << 64) - 1


def _split_mix(x):
    x = (x + 0x9E3779B97F4A7C15) & MASK
    z = x
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return x, z ^ (z >> 31)


class SeededGenerator:
    def __init__(self, seed, stream=0):
        sm = (seed ^ ((stream * 0xD1B54A32D192ED03) & MASK)) & MASK
        state = []
        for _ in range(4):
            sm, value = _split_mix(sm)
            state.append(value)
        if not any(state):
            state[0] = 1
        self.s = state

    def next(self):
        s0, s1, s2, s3 = self.s
        a = (s1 * 5) & MASK
        result = ((((a << 7) | (a >> 57)) & MASK) * 9) & MASK
        t = (s1 << 17) & MASK
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = ((s3 << 45) | (s3 >> 19)) & MASK
        self.s = [s0, s1, s2, s3]
        return result

    def unit(self):
        return (self.next() >> 11) * 2.0 ** -53

    def uniform(self, low, high, size=None):
        """numpy-style: a float, or a list of `size` floats (size may be a 1-tuple)."""
        if size is None:
            return low + (high - low) * self.unit()
        import numpy as np
        count = size[0] if isinstance(size, tuple) else size
        return np.array([low + (high - low) * self.unit() for _ in range(count)])

    def standard_normal(self, size=None):
        """Box–Muller as SeededGenerator.normal(): one pair of uniforms per draw."""
        import math
        def draw():
            u1 = 1.0 - self.unit()
            u2 = self.unit()
            return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)
        if size is None:
            return draw()
        import numpy as np
        count = size[0] if isinstance(size, tuple) else size
        return np.array([draw() for _ in range(count)])
