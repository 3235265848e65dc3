# migo-cards: the two commands are `make demo` and `make test`.
# Every target installs what it needs first (scripts/setup.sh).
.PHONY: setup pkg test demo size bench clean generate

setup:
	@bash scripts/setup.sh

pkg: setup
	@bash scripts/build-pkg.sh

test:
	@bash scripts/test.sh

# Rewrites what restates the endpoint table (gen/); `make test` fails while it is stale.
generate:
	@cargo run --quiet -p migo-gen

demo:
	@bash scripts/demo.sh

size: pkg
	@node scripts/size.mjs

bench:
	@bash bench/run.sh

clean:
	rm -rf pkg target node_modules
