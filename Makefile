# The top-level Makefile only delegates to CMake. The two commands a user needs:
#   make report   install what is missing, build, write the built-in study to reports/out/
#   make test     same build, then run every test with ctest
BUILD ?= build
JOBS  ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=

.PHONY: all build deps report test clean

all: build

deps:
	@scripts/install-deps.sh --check-or-install

$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

report: build
	$(BUILD)/arclight report --out reports/out

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

clean:
	rm -rf $(BUILD)
