"""The peer check of issue 16: Stable-Baselines3's PPO on gymnasium's HalfCheetah-v4 with the
settings of sweeps/mujoco-quick.yaml's PPO (Table 9): 16 environments, horizon 2048, 10 epochs,
32 minibatches per epoch (1024 samples each), Adam 3e-4, gamma 0.99, lambda 0.95, c1 0.5, c2 0,
clip 0.2, gradient norm 0.5, 2 x 64 tanh networks with orthogonal init and state-independent
log std 0, VecNormalize of observations and rewards; 1M steps per seed, one torch thread.

Score as ours: the mean return of the last 100 completed training episodes (Monitor's returns,
before normalisation). Prints one JSON line per seed and a summary.

Run (not part of the test suite):
  python3 -m venv v && v/bin/pip install "gymnasium[mujoco]==1.4.0" mujoco==4.0.0 stable-baselines3==2.9.2
  v/bin/python scripts/reference/sb3_halfcheetah_peer.py [SEED ...]
"""
import json
import statistics
import sys
import time
import warnings

warnings.filterwarnings("ignore")
import gymnasium as gym  # noqa: E402
import torch  # noqa: E402
from stable_baselines3 import PPO  # noqa: E402
from stable_baselines3.common.env_util import make_vec_env  # noqa: E402
from stable_baselines3.common.vec_env import VecNormalize  # noqa: E402

torch.set_num_threads(1)
STEPS = 1_000_000
seeds = [int(s) for s in sys.argv[1:]] or [1, 2]
scores = []
for seed in seeds:
    start = time.time()
    env = VecNormalize(make_vec_env("HalfCheetah-v4", n_envs=16, seed=seed), gamma=0.99)
    model = PPO("MlpPolicy", env, n_steps=2048, batch_size=1024, n_epochs=10, learning_rate=3e-4, gamma=0.99,
                gae_lambda=0.95, clip_range=0.2, vf_coef=0.5, ent_coef=0.0, max_grad_norm=0.5,
                policy_kwargs=dict(net_arch=dict(pi=[64, 64], vf=[64, 64]), activation_fn=torch.nn.Tanh),
                seed=seed, device="cpu", verbose=0)
    first = []
    def note_first(locals_, globals_):
        if not first and len(model.ep_info_buffer) > 0 and model.num_timesteps >= 16 * 2048:
            first.append(statistics.mean(e["r"] for e in model.ep_info_buffer))
        return True
    model.learn(total_timesteps=STEPS, callback=note_first)
    score = statistics.mean(e["r"] for e in model.ep_info_buffer)
    scores.append(score)
    print(json.dumps({"seed": seed, "steps": model.num_timesteps, "score": score,
                      "first_iteration_return": first[0] if first else None,
                      "seconds": round(time.time() - start, 1)}), flush=True)
if len(scores) > 1:
    print(json.dumps({"mean": statistics.mean(scores), "std": statistics.stdev(scores), "scores": scores}))
