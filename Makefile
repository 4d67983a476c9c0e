bench:
	bench/run.sh

.PHONY: bench
