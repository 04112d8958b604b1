"""The SIPD bridge after the forum: the rekomendasi kecamatan in SIPD's shape ("Input SIPD"),
its workbook (``export_sipd``) and the proof that SIPD holds it (``sipd_reconcile``).

The import of SIPD's usulan export belongs to ``proposals`` (``proposals.excel.sipd``); this
package needs the forum's results, so it lives in the top layer.
"""
