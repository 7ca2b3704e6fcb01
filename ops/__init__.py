"""Operations checks: scripts that boot the production settings on loopback (several web hosts and
workers sharing PostgreSQL and Redis, a streaming read replica, a restore from backup) and print
what they checked, exiting non-zero on any loss. The Makefile runs them; CI too."""
