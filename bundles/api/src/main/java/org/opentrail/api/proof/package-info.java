/**
 * Proof of integrity: the signing keys of accounts, with which OpenTrail signs the digests of its
 * streams and of trail destinations (format: docs/PROOF.md), and whose public halves anyone may
 * fetch to verify them offline, as CloudTrail's ListPublicKeys.
 *
 * @since 1.0
 */
@Export
@Version("1.0.0")
package org.opentrail.api.proof;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
