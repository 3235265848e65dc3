# Sourced by scripts/build-pkg.sh and bench/run.sh: how the module is
# optimised, in one place. binaryen comes from npm (node_modules/.bin).
wasm_opt=node_modules/.bin/wasm-opt
# The features rustc emits for wasm32.
wasm_opt_features="--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue"
# -Oz, repeated until it stops paying; flatten and rereloop first, and a
# function with one caller inlined only when small (-ocimfs=20): the inlined
# module deflates about 2 % smaller than with -Oz --converge alone, at the
# same CPU per call; never inlining them (-ocimfs=0) is larger and slower.
# WASM_OPT_PASSES replaces the passes (experiments).
wasm_opt_passes=${WASM_OPT_PASSES:-"--flatten --rereloop -Oz -Oz --converge -ocimfs=20"}

# wasm_opt_release IN OUT: the published module, without names or tool sections.
wasm_opt_release() {
  # shellcheck disable=SC2086
  "$wasm_opt" $wasm_opt_passes $wasm_opt_features --strip-debug --strip-producers --strip-target-features "$1" -o "$2"
}

# wasm_opt_names IN OUT: the same code, with the function names kept (profiles).
wasm_opt_names() {
  # shellcheck disable=SC2086
  "$wasm_opt" $wasm_opt_passes -g $wasm_opt_features "$1" -o "$2"
}
