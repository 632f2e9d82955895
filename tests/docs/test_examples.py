"""Run every Python example in docs/ and check its printed `#>` output.

`pytest --update-examples` rewrites the `#>` lines from what the code prints.
"""

import pytest
from pytest_examples import CodeExample, EvalExample, find_examples

from tests.paths import DOCS

EXAMPLES = list(find_examples(str(DOCS)))


def test_examples_found():
    # An empty list would make the parametrized test below vanish silently.
    assert len(EXAMPLES) >= 2, [str(example) for example in EXAMPLES]


@pytest.mark.parametrize("example", EXAMPLES, ids=str)
def test_docs_example(example: CodeExample, eval_example: EvalExample):
    eval_example.set_config(line_length=100)

    if eval_example.update_examples:
        eval_example.format(example)
        eval_example.run_print_update(example)
        return

    eval_example.lint(example)

    # On Python 3.11, pytest crashes while drawing the traceback that
    # pytest-examples builds for an exception raised inside an example, so
    # report the example's location and the error without that traceback.
    failure = None
    try:
        eval_example.run_print_check(example)
    except AssertionError:
        raise
    except Exception as error:
        failure = f"{example}: the example raised {type(error).__name__}: {error}"
    if failure:
        pytest.fail(failure, pytrace=False)
