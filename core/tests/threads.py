"""Calls that race each other for real: each in its own thread and database connection."""

import threading

from django.db import connections


def at_once(function, arguments, *, timeout=60):
    """Call `function` on each of `arguments`, all released at the same moment. Returns, in the
    same order, what each call returned or the exception it raised."""
    barrier = threading.Barrier(len(arguments))
    outcomes = [None] * len(arguments)

    def run(index, argument):
        try:
            barrier.wait()
            outcomes[index] = function(argument)
        except Exception as error:
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(arguments)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    if any(thread.is_alive() for thread in threads):
        raise TimeoutError(f"a call still ran after {timeout} s")
    return outcomes
