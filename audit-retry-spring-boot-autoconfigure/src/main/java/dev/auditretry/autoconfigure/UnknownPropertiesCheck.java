package dev.auditretry.autoconfigure;

import dev.auditretry.autoconfigure.PropertyTree.Kind;
import dev.auditretry.autoconfigure.PropertyTree.Lookup;
import dev.auditretry.autoconfigure.PropertyTree.Node;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Fails startup when a property under {@code audit.retry} has a name that no audit-retry setting has. Spring Boot
 * ignores such a property, so a misspelled setting would leave its default in place without a word.
 * <p>
 * Names are compared as Spring Boot binds them, so {@code audit.retry.maxAttempts} and the environment variables
 * {@code AUDIT_RETRY_MAXATTEMPTS} and {@code AUDIT_RETRY_MAX_ATTEMPTS} are known. Properties outside
 * {@code audit.retry} are never looked at.
 */
final class UnknownPropertiesCheck {

    private static final int MAX_SUGGESTIONS = 3;

    private UnknownPropertiesCheck() {
    }

    /**
     * Checks the names of every enumerable property source of the environment.
     * @param environment the environment whose property sources are searched
     * @throws UnknownPropertiesException if a name under audit.retry is unknown
     */
    static void check(Environment environment) {
        if (!(environment instanceof ConfigurableEnvironment)) {
            return;
        }
        PropertyTree tree = PropertyTree.get();
        List<String> descriptions = new ArrayList<>();
        Set<ConfigurationPropertyName> reported = new HashSet<>();
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (!(source instanceof IterableConfigurationPropertySource iterable)) {
                continue;
            }
            boolean systemEnvironment = source.getUnderlyingSource() instanceof SystemEnvironmentPropertySource;
            List<ConfigurationPropertyName> names = iterable.filter(PropertyTree.ROOT_NAME::isAncestorOf).stream()
                    .toList();
            for (ConfigurationPropertyName name : names) {
                Lookup lookup = tree.lookup(name, systemEnvironment);
                if (!lookup.isKnown() && reported.add(name)) {
                    descriptions.add(describe(name, lookup, source));
                }
            }
        }
        if (!descriptions.isEmpty()) {
            throw new UnknownPropertiesException(descriptions, "Rename each property to the name suggested for it,"
                    + " or remove it.");
        }
    }

    private static String describe(ConfigurationPropertyName name, Lookup lookup, ConfigurationPropertySource source) {
        String remainder = remainder(name, lookup.unknownIndex());
        String written = lookup.canonicalName() + "." + remainder;
        ConfigurationProperty property = source.getConfigurationProperty(name);
        Object value = (property != null) ? property.getValue() : null;
        String where = PropertyOrigins.where((property != null) ? property.getOrigin() : null, written,
                sourceName(source));
        return written + " with value '" + value + "' (set " + where + "): " + hint(lookup, remainder, name);
    }

    private static String hint(Lookup lookup, String remainder, ConfigurationPropertyName name) {
        Node node = lookup.node();
        if (node.kind() == Kind.VALUE) {
            return lookup.canonicalName() + " is a single value and has no properties below it. Set "
                    + lookup.canonicalName() + " itself.";
        }
        Node global = globalCounterpart(node, name, lookup.unknownIndex());
        if (global != null) {
            return "It is a global setting and cannot be set for one circuit. Remove it here and set "
                    + PropertyTree.PREFIX + "." + global.path() + " instead.";
        }
        List<String> suggestions = closestPaths(node, remainder).stream()
                .map((path) -> lookup.canonicalName() + "." + path).toList();
        if (!suggestions.isEmpty()) {
            return "No such property. Did you mean " + String.join(" or ", suggestions) + "?";
        }
        String known = node.children().values().stream().map(UnknownPropertiesCheck::childLabel)
                .collect(Collectors.joining(", "));
        return "No such property. The properties under " + lookup.canonicalName() + " are " + known + ".";
    }

    /**
     * Returns the global setting that the unknown element names when it sits inside the settings of one circuit,
     * such as aspect-order under audit.retry.endpoints.[key], or null.
     */
    private static Node globalCounterpart(Node node, ConfigurationPropertyName name, int index) {
        Node counterpart = node.counterpart();
        if (counterpart == null) {
            return null;
        }
        ConfigurationPropertyName element = name.subName(index).chop(1);
        for (Node candidate : counterpart.children().values()) {
            if (element.equals(ConfigurationPropertyName.of(candidate.name()))) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * Returns up to three known paths below the node that the unknown remainder resembles: those within a few
     * edits of it, and those that end with its last element, such as circuit-breaker.failure-threshold for
     * failure-threshold written one level too high.
     */
    private static List<String> closestPaths(Node node, String remainder) {
        String target = comparable(remainder);
        String lastElement = target.substring(target.lastIndexOf('.') + 1);
        int maxDistance = Math.max(2, target.length() / 4);
        record Candidate(String path, int distance) {
        }
        List<Candidate> candidates = new ArrayList<>();
        for (String path : node.descendantPaths()) {
            String known = comparable(path);
            int distance = editDistance(target, known);
            if (distance <= maxDistance || known.endsWith("." + lastElement)) {
                candidates.add(new Candidate(path, distance));
            }
        }
        return candidates.stream().sorted(Comparator.comparingInt(Candidate::distance)).limit(MAX_SUGGESTIONS)
                .map(Candidate::path).toList();
    }

    /** Returns a path in lower case with only letters, digits and the dots between elements. */
    private static String comparable(String path) {
        return path.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.\\[\\]]", "");
    }

    private static int editDistance(String first, String second) {
        int[] previous = new int[second.length() + 1];
        int[] current = new int[second.length() + 1];
        for (int j = 0; j <= second.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= first.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= second.length(); j++) {
                int substitution = previous[j - 1] + ((first.charAt(i - 1) == second.charAt(j - 1)) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[second.length()];
    }

    private static String remainder(ConfigurationPropertyName name, int from) {
        StringBuilder remainder = new StringBuilder();
        for (int i = from; i < name.getNumberOfElements(); i++) {
            String element = name.getElement(i, Form.ORIGINAL);
            if (name.isNumericIndex(i)) {
                remainder.append('[').append(element).append(']');
            }
            else {
                remainder.append((remainder.length() > 0) ? "." : "").append(element);
            }
        }
        return remainder.toString();
    }

    private static String childLabel(Node child) {
        return switch (child.kind()) {
            case VALUE -> child.name();
            case GROUP -> child.name() + ".*";
            case MAP -> child.name() + ".[key].*";
        };
    }

    private static String sourceName(ConfigurationPropertySource source) {
        return (source.getUnderlyingSource() instanceof PropertySource<?> propertySource) ? propertySource.getName()
                : String.valueOf(source.getUnderlyingSource());
    }
}
