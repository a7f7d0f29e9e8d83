#!/usr/bin/env python3
"""Vectorized numpy reference for one evaluation of the payoff vector u_k(.; pi).

Builds the same seeded impartial-culture population as `ualign bench --impartial-culture`
(SplitMix64 + Fisher-Yates, bit for bit), evaluates the closed form of docs/mathematics.md#the-alignment-game
for every (voter, response) at once, and prints the mean time per evaluation and u itself, so
both the speed and the values can be compared with `ualign bench` in one run:

    python3 benches/numpy_payoff.py 10 5000 1 4
"""
import sys
import time

import numpy as np

MASK = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK

    def next_u64(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def below(self, n):
        return (self.next_u64() * n) >> 64

    def permutation(self, n):
        v = list(range(n))
        for i in range(n - 1, 0, -1):
            j = self.below(i + 1)
            v[i], v[j] = v[j], v[i]
        return v


def impartial_culture(n, voters, seed):
    rng = SplitMix64(seed)
    return np.array([rng.permutation(n) for _ in range(voters)], dtype=np.int64)


def payoff(rankings, weights, pi, k):
    """u_k(y; pi) = sum_v w_v ((1-a)^(k+1) - (1-a-b)^(k+1)) / ((k+1) b), b > 0."""
    mass = pi[rankings]                      # (V, n) mass of the response at each position
    above = np.cumsum(mass, axis=1) - mass   # a: mass ranked strictly above
    x = 1.0 - above
    z = x - mass
    u_pos = (x ** (k + 1) - z ** (k + 1)) / ((k + 1) * mass)
    return np.bincount(rankings.ravel(), weights=(weights[:, None] * u_pos).ravel(),
                       minlength=pi.size)


def main():
    n, voters, seed, k = (int(a) for a in (sys.argv[1:5] if len(sys.argv) >= 5 else (10, 5000, 1, 4)))
    rankings = impartial_culture(n, voters, seed)
    weights = np.full(voters, 1.0 / voters)
    pi = np.full(n, 1.0 / n)
    reps = 2000
    for _ in range(reps // 10):
        payoff(rankings, weights, pi, k)
    t = time.perf_counter()
    for _ in range(reps):
        u = payoff(rankings, weights, pi, k)
    dt = (time.perf_counter() - t) / reps
    print("u_uniform=" + ",".join(f"{x:.15f}" for x in u))
    print(f"numpy {np.__version__}; numpy_payoff_eval_seconds={dt:.3e}")


if __name__ == "__main__":
    main()
