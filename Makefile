# why401 — see README.md. Every target installs what it needs (scripts/setup.sh).
.PHONY: serve test dist lab size screenshots fuzz bench lighthouse advice

## serve: the app at http://127.0.0.1:8080 (live rebuild) and the lab at http://127.0.0.1:8081
serve:
	bash scripts/serve.sh

## test: every check and test (format, clippy, native, wasm in Chromium, end-to-end)
test:
	bash scripts/test.sh

## dist: the release build in dist/, hostable under any path
dist:
	bash scripts/setup.sh && . scripts/env.sh && trunk build --release --public-url ./

## lab: the scenario lab at http://127.0.0.1:8081 (and dist/ at :8080 if built)
lab:
	cargo run -p why401-lab --locked -- $(if $(wildcard dist/index.html),--dist dist)

## size: bytes (raw and gzip -9) of every file needed for the first paint
size:
	bash scripts/size.sh

## screenshots: docs/*.png of the built app at desktop and 360 px widths, light and dark
screenshots: dist
	. scripts/env.sh && cargo run --example screenshots --locked -- docs

## fuzz: a short run of every fuzz target (FUZZ_SECONDS each; nightly + cargo-fuzz)
fuzz:
	bash scripts/fuzz.sh

## bench: parser throughput (MB/s), CORS simulations per second, Inspect-to-report ms in Chromium, and HAR files of 1-100 MB natively and in Chromium beside JSON.parse
bench: dist
	bash scripts/setup.sh --test
	cargo bench -p why401-core --bench parse --locked
	. scripts/env.sh && cargo run --release --example probe_bench --locked
	. scripts/env.sh && cargo run --release --example har_bench --locked

## lighthouse: Lighthouse scores (performance, accessibility, best practices, SEO) of the release build
lighthouse: dist
	bash scripts/lighthouse.sh

## advice: rewrite static/advice.json (the fixes the page loads) from the catalogue, crates/core/src/cause/catalogue.rs
advice:
	WHY401_WRITE_ADVICE=1 cargo test -p why401-core --test tests --locked advice_asset
