"""Writes Tests/EnvironmentsTests/Fixtures/lunarlander-traces.json: gymnasium 1.4's
LunarLander-v3 (Box2D 2.3 through pybox2d) driven by exactly the random draws our LunarLander
makes (terrain, initial force, engine dispersion), with actions from a second generator.

Each episode i: generator seed g_i. Our environment is reset with SeededGenerator(g_i) and
draws its episode seed from it; gymnasium's np_random is replaced by SeededGenerator(episode
seed). Actions: a_t = SeededGenerator(g_i, stream 1).next() >> 62 (uniform over 0..3).

Run (not part of the test suite): python3 -m venv v && v/bin/pip install gymnasium==1.4.0 box2d==2.3.10 pygame
  v/bin/python scripts/reference/lunarlander_traces.py > Tests/EnvironmentsTests/Fixtures/lunarlander-traces.json
"""
import json
import sys

import gymnasium as gym

from seeded_generator import SeededGenerator

EPISODES = 100
PREFIX = 20  # steps of each episode whose observations and rewards are stored

env = gym.make("LunarLander-v3").unwrapped
env.reset(seed=0)
episodes = []
for i in range(EPISODES):
    seed = (0x5EED_0000 + 7919 * i) & ((1 << 64) - 1)
    env.np_random = SeededGenerator(SeededGenerator(seed).next())
    obs, _ = env.reset()
    actions = SeededGenerator(seed, 1)
    observations, rewards, total, length = [[float("%.8g" % v) for v in obs.tolist()]], [], 0.0, 0
    while True:
        obs, reward, terminated, truncated, _ = env.step(actions.next() >> 62)
        total += reward
        length += 1
        if length <= PREFIX:
            observations.append([float("%.8g" % v) for v in obs.tolist()])
            rewards.append(reward)
        if terminated or truncated:
            break
    episodes.append({"seed": seed, "observations": observations, "rewards": rewards,
                     "return": total, "length": length})
json.dump({"source": "gymnasium 1.4.0 LunarLander-v3, Box2D 2.3.10 (pybox2d)", "prefix": PREFIX,
           "episodes": episodes}, sys.stdout, separators=(",", ":"))
