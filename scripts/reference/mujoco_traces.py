"""Writes Tests/EnvironmentsTests/Fixtures/mujoco-v4-traces.json: gymnasium 1.4.0's v4 MuJoCo
tasks on MuJoCo 4.0.0 (the `mujoco` wheel, whose libmujoco comes from the same `mujoco-core`
wheel that scripts/install-deps.sh installs for the Swift build), driven by exactly the random
draws our MuJoCoEnvironment makes.

Each task, episode i: seed g_i. Our environment is reset with SeededGenerator(g_i); gymnasium's
np_random is replaced by the same generator, so both add the same reset noise (qpos uniforms,
then qvel uniforms or normals). Actions: for step t and actuator j, in that order,
k = SeededGenerator(g_i, stream 1).next() >> 53 (0..2047), a = (k - 1024) / 1024 * scale: exact
in float32 and float64, scale 1 (control range ±1) or 0.375 (the humanoids' ±0.4).

Stored per episode: every observation (float32, little-endian, base64; the reset's first), the
reward of every step (float64) and the step at which the episode terminated (or null), for the
first STEPS steps.

Run (not part of the test suite):
  python3 -m venv v && v/bin/pip install "gymnasium[mujoco]==1.4.0" mujoco==4.0.0
  v/bin/python scripts/reference/mujoco_traces.py > Tests/EnvironmentsTests/Fixtures/mujoco-v4-traces.json
"""
import base64
import json
import sys
import warnings

warnings.filterwarnings("ignore")
import gymnasium as gym  # noqa: E402
import mujoco  # noqa: E402
import numpy as np  # noqa: E402

from seeded_generator import SeededGenerator  # noqa: E402

TASKS = ["HalfCheetah", "Hopper", "Walker2d", "Ant", "Humanoid", "HumanoidStandup"]
EPISODES = 10
STEPS = 100

out = {"mujoco": mujoco.__version__, "gymnasium": gym.__version__, "steps": STEPS, "tasks": {}}
for index, task in enumerate(TASKS):
    env = gym.make(f"{task}-v4").unwrapped
    scale = 0.375 if task.startswith("Humanoid") else 1.0
    assert np.all(env.model.actuator_ctrlrange[:, 1] >= scale), task
    episodes = []
    for i in range(EPISODES):
        seed = (0x4D4A_0000 + 1009 * index + 7919 * i) & ((1 << 64) - 1)
        env.np_random = SeededGenerator(seed)
        obs, _ = env.reset()
        actions = SeededGenerator(seed, 1)
        observations, rewards, terminated_at = [obs.astype(np.float32)], [], None
        for t in range(STEPS):
            a = np.array([((actions.next() >> 53) - 1024) / 1024 * scale for _ in range(env.model.nu)])
            obs, reward, terminated, _, _ = env.step(a)
            observations.append(obs.astype(np.float32))
            rewards.append(float(reward))
            if terminated:
                terminated_at = t + 1
                break
        blob = np.concatenate(observations).astype("<f4").tobytes()
        episodes.append({"seed": seed, "terminated_at": terminated_at, "rewards": rewards,
                         "observations": base64.b64encode(blob).decode()})
    out["tasks"][task] = {"action_scale": scale, "observation_size": int(observations[0].size), "episodes": episodes}
    print(task, [e["terminated_at"] for e in episodes], file=sys.stderr)
json.dump(out, sys.stdout, separators=(",", ":"))
