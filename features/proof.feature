# proof: signed digests of every stream (the history and every logstore) each hour and at a clean
# stop, and the live check of a stream against them (proof:verify); docs/PROOF.md.
include auth
org.opentrail:org.opentrail.proof
