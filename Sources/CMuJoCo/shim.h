// MuJoCo's C API (the library and headers that scripts/install-deps.sh puts into /usr/local:
// MuJoCo 4.0.0 from PyPI's mujoco-core wheel).
#include <mujoco/mujoco.h>
