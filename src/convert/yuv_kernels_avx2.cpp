// The loops for CPUs with AVX2, called only when the CPU has it. The target is set by a pragma
// after every library header, not by -mavx2 for the file: any standard-library function this
// file instantiated with AVX2 could otherwise be the copy the linker keeps for the whole program.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "frame_geometry.h"

#pragma GCC target("avx2")
#define FRAMEPIPE_KERNEL_ISA avx2
#include "convert/yuv_kernels.h"
