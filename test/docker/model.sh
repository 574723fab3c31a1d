#!/bin/sh
# The test model, run as the test image's command (test/docker/engine.ts builds the image from
# Debian's busybox-static and this script). Its first argument says what to do:
#   argv ARGS...                 write ARGS NUL-separated to /outputs/argv.bin, then a take
#   steps N PAUSE CODE FILES...  print "step i/N" lines PAUSE s apart, write FILES in /outputs,
#                                exit with CODE (a line on stderr first when CODE is not 0)
#   probe                        write what the sandbox allows to /outputs/probe.txt (and the
#                                input at /inputs/ref.png when there is one), then a take
#   stubborn                     print "step i/1000" lines 0.1 s apart, carrying on after a
#                                SIGTERM: writes "TERM" to /outputs/term.txt, then "alive" each
#                                step after it (the agent stops reading once it cancels); only
#                                SIGKILL ends it
#   spam N                       print the numbers 1 to N, one a line, as fast as it can
#   link                         leave a symbolic link to /etc/passwd as its output
#   copy FILE NAME               copy an input FILE to /outputs/NAME (after a line about it)
case "$1" in
  argv)
    shift
    printf '%s\0' "$@" > /outputs/argv.bin
    echo "argv: $#"
    echo take > /outputs/argv.png
    ;;
  steps)
    n=$2; pause=$3; code=$4; shift 4
    i=1
    while [ "$i" -le "$n" ]; do
      echo "step $i/$n"
      sleep "$pause"
      i=$((i + 1))
    done
    for f in "$@"; do echo "data $f" > "/outputs/$f"; done
    if [ "$code" != 0 ]; then
      echo "warming up" >&2
      echo "model failed: exit $code" >&2
    fi
    exit "$code"
    ;;
  probe)
    {
      echo "uid=$(id -u) gid=$(id -g)"
      echo "interfaces=$(ls /sys/class/net | tr '\n' ' ')"
      echo "connect=$(echo x | nc -w 2 172.17.0.1 9 2>&1 | tr '\n' ' ')"
      if touch /etc/written 2>/dev/null; then echo "root=writable"; else echo "root=read-only"; fi
      if touch /tmp/scratch 2>/dev/null; then echo "tmp=writable"; else echo "tmp=read-only"; fi
      echo "caps=$(grep CapEff /proc/self/status | tr -d '\t' | cut -d: -f2)"
      echo "no_new_privs=$(grep NoNewPrivs /proc/self/status | tr -d '\t' | cut -d: -f2)"
      if [ -e /inputs/ref.png ]; then
        echo "input=$(cat /inputs/ref.png)"
        if echo x >> /inputs/ref.png 2>/dev/null; then echo "input_file=writable"; else echo "input_file=read-only"; fi
      fi
    } > /outputs/probe.txt
    echo take > /outputs/probe.png
    ;;
  stubborn)
    trap 'echo TERM > /outputs/term.txt' TERM
    i=1
    while :; do
      echo "step $i/1000"
      if [ -e /outputs/term.txt ]; then echo alive >> /outputs/term.txt; fi
      sleep 0.1
      i=$((i + 1))
    done
    ;;
  spam)
    seq 1 "$2"
    echo take > /outputs/spam.png
    ;;
  link)
    ln -s /etc/passwd /outputs/passwd.png
    ;;
  copy)
    echo "copying $2"
    cat "$2" > "/outputs/$3"
    ;;
  *)
    echo "unknown mode: $1" >&2
    exit 2
    ;;
esac
