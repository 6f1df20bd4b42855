/**
 * Accounts, users, access keys, policies and roles (RAM's model), how requests are authenticated
 * (signatures) and authorized (policies), and the delivery role a trail needs before it delivers.
 */
@Export
@Version("1.3.0")
package org.opentrail.api.auth;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
