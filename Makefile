# The two commands of the quick start, `make demo` and `make test`, plus the developer targets.
# Everything installs what it needs from Debian's packages first (tools/install-deps).

BUILD      ?= build
BUILD_TYPE ?= RelWithDebInfo
PREFIX     ?= /usr/local
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)

# Dependencies, all from Debian 12. Building (and `make demo`) needs only the first list; the
# test suite also drives real producers and a real browser.
BUILD_PACKAGES := cmake make g++ libcli11-dev libboost1.81-dev libboost-filesystem1.81-dev \
                  nlohmann-json3-dev catch2 ffmpeg python3
# python3-munkres satisfies python3-fonttools without python3-scipy, whose chain pulls
# libboost1.74-dev (which conflicts with libboost1.81-dev).
# parallel and a single-node Slurm (slurmctld, slurmd, slurm-client, munge) run the examples of
# joining segments (tests/integration/test_concat_engines.py, test_concat_slurm.py).
TEST_PACKAGES := python3-matplotlib python3-munkres python3-numpy gstreamer1.0-tools \
                 gstreamer1.0-plugins-base chromium strace parallel \
                 slurmctld slurmd slurm-client munge

.PHONY: all deps test-deps configure build demo test test-asan install bench format format-check clean

all: build

deps:
	@tools/install-deps $(BUILD_PACKAGES)

test-deps: deps
	@tools/install-deps $(TEST_PACKAGES)

configure: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DCMAKE_INSTALL_PREFIX=$(PREFIX) >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

# Renders demo.mp4 through the real pipeline: test pattern -> framepipe -> ffmpeg.
demo: build
	$(BUILD)/framepipe-testsrc --size 1280x720 --fps 60 --frames 300 \
	  | $(BUILD)/framepipe --size 1280x720 --pix-fmt rgba --fps 60 --overwrite demo.mp4
	@echo "demo.mp4 is ready: open it in a browser or any video player."

test: test-deps build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# The same suite under AddressSanitizer and UndefinedBehaviorSanitizer.
test-asan:
	@$(MAKE) --no-print-directory test BUILD=build-asan BUILD_TYPE=Asan

install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

bench: build
	bench/run.sh $(BUILD)

CXX_SOURCES = $(wildcard src/*.cpp src/*.h src/*/*.cpp src/*/*.h tools/*.cpp tests/unit/*.cpp tests/unit/*.h tests/support/*.cpp examples/*.cpp)

format:
	clang-format -i $(CXX_SOURCES)

format-check:
	clang-format --dry-run --Werror $(CXX_SOURCES)

clean:
	rm -rf $(BUILD) build-asan
