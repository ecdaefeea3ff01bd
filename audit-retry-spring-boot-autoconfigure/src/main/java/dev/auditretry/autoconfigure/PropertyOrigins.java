package dev.auditretry.autoconfigure;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.PropertySourceOrigin;

/** Says where a property was set, for the messages of startup failures. */
final class PropertyOrigins {

    private PropertyOrigins() {
    }

    /**
     * Returns where a property was set: "in 'class path resource [application.yml] - 3:5'" for a file, "in
     * property source 'defaultProperties'" for a source without lines, and "as AUDIT_RETRY_MAXATTEMPTS in property
     * source 'systemEnvironment'" when the source spells the name differently.
     * @param origin the origin of the property, or null
     * @param name the name of the property
     * @param sourceName the name of the property source, used when the origin is null
     */
    static String where(Origin origin, String name, String sourceName) {
        if (origin instanceof PropertySourceOrigin sourceOrigin) {
            if (sourceOrigin.getOrigin() != null) {
                return "in '" + sourceOrigin.getOrigin() + "'";
            }
            String key = sourceOrigin.getPropertyName();
            String source = "in property source '" + sourceOrigin.getPropertySource().getName() + "'";
            return isSpelledAs(name, key) ? source : "as " + key + " " + source;
        }
        if (origin != null) {
            return "in '" + origin + "'";
        }
        return "in property source '" + sourceName + "'";
    }

    private static boolean isSpelledAs(String name, String key) {
        ConfigurationPropertyName written = ConfigurationPropertyName.ofIfValid(key);
        return key.equals(name) || (written != null && key.equals(written.toString())
                && written.equals(ConfigurationPropertyName.ofIfValid(name)));
    }
}
