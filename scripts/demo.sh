#!/usr/bin/env bash
echo "make demo comes with the example page (see the issues); until then: make test"
