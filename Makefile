# The two commands of the quick start, `make demo` and `make test`, plus the developer targets.
# Everything installs what it needs from Debian's packages first (tools/install-deps).

BUILD      ?= build
BUILD_TYPE ?= RelWithDebInfo
PREFIX     ?= /usr/local
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)

# Dependencies from Debian's packages. Building (and `make demo`) needs only the build list; the
# test suite also drives real producers and a real browser. Package names differ between the
# supported releases, so they are chosen from /etc/os-release; DEPS=none skips installing (for a
# system set up by hand).
OS_ID      := $(shell . /etc/os-release 2>/dev/null && echo "$$ID")
OS_VERSION := $(shell . /etc/os-release 2>/dev/null && echo "$$VERSION_ID")
OS_NAME    := $(shell . /etc/os-release 2>/dev/null && echo "$$PRETTY_NAME")
DEPS       ?= install

COMMON_BUILD_PACKAGES := cmake make g++ libcli11-dev nlohmann-json3-dev zlib1g-dev libspng-dev pkgconf catch2 ffmpeg \
                         python3
# python3-venv and python3-setuptools: the test that pip-installs the Python package into a venv.
# netpbm: real PPM/PGM producers for the stream input tests (tests/integration/test_streams.py).
# parallel and a single-node Slurm (slurmctld, slurmd, slurm-client, munge) run the examples of
# joining segments (tests/integration/test_concat_parallel.py, test_concat_slurm.py).
COMMON_TEST_PACKAGES  := python3-matplotlib python3-numpy gstreamer1.0-tools \
                         gstreamer1.0-plugins-base gstreamer1.0-plugins-bad chromium strace python3-venv python3-setuptools \
                         netpbm parallel slurmctld slurmd slurm-client munge
ifeq ($(OS_ID) $(OS_VERSION),debian 12)
  # Debian 12's libboost-dev is 1.74, too old for Boost.Process v2: 1.81 has its own packages.
  RELEASE_BUILD_PACKAGES := libboost1.81-dev libboost-filesystem1.81-dev
  # python3-munkres satisfies python3-fonttools without python3-scipy, whose chain pulls
  # libboost1.74-dev (which conflicts with libboost1.81-dev).
  RELEASE_TEST_PACKAGES  := python3-munkres
else ifeq ($(OS_ID) $(OS_VERSION),debian 13)
  RELEASE_BUILD_PACKAGES := libboost-dev libboost-filesystem-dev
  RELEASE_TEST_PACKAGES  :=
else
  UNKNOWN_RELEASE := yes
  RELEASE_BUILD_PACKAGES := libboost-dev libboost-filesystem-dev
  RELEASE_TEST_PACKAGES  :=
endif
BUILD_PACKAGES := $(COMMON_BUILD_PACKAGES) $(RELEASE_BUILD_PACKAGES)
TEST_PACKAGES  := $(COMMON_TEST_PACKAGES) $(RELEASE_TEST_PACKAGES)

# Installs the packages named by $(1), or explains what to install where the names are unknown.
define install_packages
	@if [ "$(DEPS)" = none ]; then :; \
	elif [ -n "$(UNKNOWN_RELEASE)" ]; then \
	  echo "framepipe: error: this system is '$(OS_NAME)', and the Makefile knows the package" >&2; \
	  echo "  names of Debian 12 and Debian 13 only. Install these (or your system's" >&2; \
	  echo "  equivalents) yourself, Boost 1.81 or newer: $(1)" >&2; \
	  echo "  then run make again with DEPS=none." >&2; \
	  exit 1; \
	else tools/install-deps $(1); fi
endef

# `make deb` adds dpkg-shlibdeps and dpkg-buildflags (dpkg-dev) and Debian's package checker.
DEB_PACKAGES := dpkg-dev lintian

# The fuzz targets need clang and its libFuzzer runtime: on Debian 12 these pull clang-14 and
# libclang-rt-14-dev, on Debian 13 clang-19 and libclang-rt-19-dev.
FUZZ_PACKAGES := clang libclang-rt-dev
FUZZ_SECONDS  ?= 20

.PHONY: all deps test-deps configure build demo test test-asan fuzz install deb bench bench-python format \
        format-check clean

all: build

deps:
	$(call install_packages,$(BUILD_PACKAGES))

test-deps: deps
	$(call install_packages,$(TEST_PACKAGES))

configure: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DCMAKE_INSTALL_PREFIX=$(PREFIX) >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

# Renders demo.mp4 through the real pipeline: test pattern -> framepipe -> ffmpeg.
demo: build
	$(BUILD)/framepipe-testsrc --size 1280x720 --fps 60 --frames 300 \
	  | $(BUILD)/framepipe --size 1280x720 --pix-fmt rgba --fps 60 --overwrite demo.mp4
	@echo "demo.mp4 is ready: open it in a browser or any video player."

# CTEST_ARGS picks tests, e.g. CTEST_ARGS='-L deb' or '-LE deb'.
test: test-deps build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) $(CTEST_ARGS)

# The same suite under AddressSanitizer and UndefinedBehaviorSanitizer, less the package build
# (tools/make-deb builds its own optimised binary: nothing of the sanitised one is in it).
test-asan:
	@$(MAKE) --no-print-directory test BUILD=build-asan BUILD_TYPE=Asan CTEST_ARGS="-LE deb $(CTEST_ARGS)"

# Every parser of outside input under libFuzzer, ASan and UBSan, FUZZ_SECONDS each, from the
# seed corpus in tests/fuzz/corpus (built in build-fuzz, apart from the normal build).
fuzz: deps
	$(call install_packages,$(FUZZ_PACKAGES))
	tools/run-fuzzers $(FUZZ_SECONDS)

install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

# framepipe_<version>_<arch>.deb for the Debian release this runs on (tools/make-deb, built in
# build-deb with prefix /usr), checked by lintian, which fails on errors only.
deb: deps
	$(call install_packages,$(DEB_PACKAGES))
	@deb=$$(JOBS=$(JOBS) tools/make-deb build-deb .) && lintian --allow-root "$$deb" && echo "$$deb is ready"

bench: build
	bench/run.sh $(BUILD)

CXX_SOURCES = $(wildcard src/*.cpp src/*.h src/*/*.cpp src/*/*.h tools/*.cpp tools/*/*.cpp tools/*/*.h \
              bench/*.cpp tests/unit/*.cpp tests/unit/*.h tests/support/*.cpp tests/fuzz/*.cpp \
              tests/fuzz/*.h examples/*.cpp)

# The Python package against matplotlib's writer and a plain Popen (docs/performance.md#python).
bench-python: test-deps build
	/usr/bin/python3 bench/python_bench.py $(BUILD)


format:
	clang-format -i $(CXX_SOURCES)

format-check:
	clang-format --dry-run --Werror $(CXX_SOURCES)

clean:
	rm -rf $(BUILD) build-asan build-deb build-fuzz
