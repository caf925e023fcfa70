import sys

if "--parent-pid" in sys.argv:  # serve's worker: it dies with serve, even while starting
    from sayyes.worker import follow_parent_from_the_start

    follow_parent_from_the_start(sys.argv)

from sayyes.cli import main  # noqa: E402

main()
