/** Framework-free core of stormwatch: no Storm or Spark import may appear below this package. */
package io.stormwatch.core;
