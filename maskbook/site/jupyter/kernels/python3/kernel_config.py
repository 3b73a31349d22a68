# Configuration of the kernels that execute the book's chapters during the build (maskbook.site.lognoise).
# maskbook.site.sphinxext puts this kernel spec first on JUPYTER_PATH, so `jupyter-book build` starts
# its "python3" kernels with this file; JupyterLab and other tools keep the ordinary kernel.
c = get_config()  # noqa: F821 (provided by traitlets when it loads the file)

# Only errors: ipykernel 7 warns "Kernel is running over TCP without encryption" at every start.
c.IPKernelApp.log_level = "ERROR"

from maskbook.site.lognoise import quiet_shutdown_race  # noqa: E402

quiet_shutdown_race()

# jsonschema (imported in the kernel by plotly, through nbformat) compiles 39 Lark grammars at import
# when the optional rfc3987_syntax is installed: about 1 s of each chapter's run, for checks of the
# "iri" string format that nothing in a chapter asks for. The chapters' kernels go without it.
import sys  # noqa: E402

sys.modules.setdefault("rfc3987_syntax", None)
