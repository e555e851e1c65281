// Built with the compiler's default target: the fallback for every CPU.
#define FRAMEPIPE_KERNEL_ISA baseline
#include "convert/yuv_kernels.h"
