from sayyes.cli import main

main()
