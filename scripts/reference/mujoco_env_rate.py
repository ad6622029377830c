"""gymnasium 1.4.0's own v4 MuJoCo tasks with random actions on one core: env steps/s, and the
time inside mj_step (timed around gymnasium's own call), for issue 16's comparison with
`mcpo-bench env --env TASK`. Run both in one command, on an otherwise idle machine:

  v/bin/python scripts/reference/mujoco_env_rate.py; for t in HalfCheetah Hopper Walker2d Ant Humanoid HumanoidStandup; do
    .build/release/mcpo-bench env --env $t --episodes E --json; done

(v: the venv of scripts/reference/mujoco_traces.py.) Prints one JSON line per task.
"""
import json
import sys
import time
import warnings

warnings.filterwarnings("ignore")
import gymnasium as gym  # noqa: E402
import gymnasium.envs.mujoco.mujoco_env as mujoco_env  # noqa: E402
import mujoco  # noqa: E402

STEPS = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
inside = [0.0]
real_step = mujoco.mj_step


class TimedMuJoCo:
    """The mujoco module as gymnasium's MujocoEnv sees it, with mj_step timed."""
    def __getattr__(self, name):
        return getattr(mujoco, name)

    @staticmethod
    def mj_step(m, d, nstep=1):
        start = time.perf_counter()
        real_step(m, d, nstep=nstep)
        inside[0] += time.perf_counter() - start


mujoco_env.mujoco = TimedMuJoCo()
for task in ["HalfCheetah", "Hopper", "Walker2d", "Ant", "Humanoid", "HumanoidStandup"]:
    env = gym.make(f"{task}-v4")
    env.reset(seed=0)
    env.action_space.seed(0)
    for _ in range(500):  # warm-up
        _, _, terminated, truncated, _ = env.step(env.action_space.sample())
        if terminated or truncated:
            env.reset()
    inside[0] = 0.0
    start = time.perf_counter()
    for _ in range(STEPS):
        _, _, terminated, truncated, _ = env.step(env.action_space.sample())
        if terminated or truncated:
            env.reset()
    seconds = time.perf_counter() - start
    print(json.dumps({"env": task, "steps": STEPS, "steps_per_s": round(STEPS / seconds, 1),
                      "physics_share": round(inside[0] / seconds, 4),
                      "physics_steps_per_s": round(STEPS / inside[0], 1),
                      "gymnasium": gym.__version__, "mujoco": mujoco.__version__}), flush=True)
