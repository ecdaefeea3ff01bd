package dev.auditretry.autoconfigure;

import dev.auditretry.autoconfigure.actuate.AuditRetryHealthProperties;
import java.lang.reflect.Constructor;
import java.lang.reflect.Parameter;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.core.ResolvableType;

/**
 * The names of the properties under {@code audit.retry}, read from the records that bind them, so that a name can
 * be matched to its type and default, and an unknown name can be found and reported with the names it resembles.
 * <p>
 * Names match as Spring Boot binds them: case, dashes and camel case do not matter, and in a system environment
 * source a dash may also be written as an underscore ({@code AUDIT_RETRY_MAX_ATTEMPTS}).
 */
final class PropertyTree {

    static final String PREFIX = "audit.retry";

    static final ConfigurationPropertyName ROOT_NAME = ConfigurationPropertyName.of(PREFIX);

    /**
     * Records bound under audit.retry. Each one's prefix comes from its {@code @ConfigurationProperties}, so that
     * the names of one record are never reported as unknown by another.
     */
    // NOTE: an application's own record bound under audit.retry is not listed, so its properties fail as unknown.
    private static final List<Class<? extends Record>> PROPERTY_RECORDS = List.of(AuditRetryProperties.class,
            AuditRetryHealthProperties.class);

    private static final PropertyTree INSTANCE = new PropertyTree(PROPERTY_RECORDS);

    private final Node root;

    PropertyTree(List<Class<? extends Record>> records) {
        Node top = new Node("", "", Kind.GROUP, null, null);
        for (Class<? extends Record> type : records) {
            attach(top, type);
        }
        linkCounterparts(top);
        this.root = top;
    }

    static PropertyTree get() {
        return INSTANCE;
    }

    static List<Class<? extends Record>> propertyRecords() {
        return PROPERTY_RECORDS;
    }

    Node root() {
        return this.root;
    }

    /**
     * Matches a name below audit.retry against the known properties.
     * @param name a name that audit.retry is an ancestor of
     * @param systemEnvironment whether the name comes from a system environment source, where a dash of a known
     *        name may also appear as an element break
     */
    Lookup lookup(ConfigurationPropertyName name, boolean systemEnvironment) {
        Lookup uniform = walk(name, false);
        if (uniform.isKnown() || !systemEnvironment) {
            return uniform;
        }
        Lookup legacy = walk(name, true);
        return legacy.isKnown() ? legacy : uniform;
    }

    /** Returns the known property of a name written in its canonical form, or null when it is unknown. */
    Node find(String name) {
        Lookup lookup = lookup(ConfigurationPropertyName.of(name), false);
        return lookup.isKnown() ? lookup.node() : null;
    }

    private Lookup walk(ConfigurationPropertyName name, boolean splitDashes) {
        Node node = this.root;
        StringBuilder canonical = new StringBuilder(PREFIX);
        String entryName = null;
        int index = ROOT_NAME.getNumberOfElements();
        int count = name.getNumberOfElements();
        while (index < count) {
            if (node.kind() == Kind.MAP) {
                canonical.append(".[").append(name.getElement(index, Form.ORIGINAL)).append(']');
                entryName = canonical.toString();
                node = node.entry();
                index++;
                continue;
            }
            if (node.kind() == Kind.VALUE) {
                boolean indexesOnly = node.isCollection() && allNumericIndexes(name, index);
                return indexesOnly ? new Lookup(node, canonical.toString(), entryName, -1)
                        : new Lookup(node, canonical.toString(), entryName, index);
            }
            Node child = null;
            int consumed = 0;
            for (Node candidate : node.children().values()) {
                consumed = matchedElements(candidate.name(), name, index, splitDashes);
                if (consumed > 0) {
                    child = candidate;
                    break;
                }
            }
            if (child == null) {
                return new Lookup(node, canonical.toString(), entryName, index);
            }
            canonical.append('.').append(child.name());
            node = child;
            index += consumed;
        }
        return new Lookup(node, canonical.toString(), entryName, -1);
    }

    /** Returns how many elements of the name, from index on, spell the known element, or 0 when they do not. */
    private static int matchedElements(String known, ConfigurationPropertyName name, int index, boolean splitDashes) {
        ConfigurationPropertyName element = name.subName(index).chop(1);
        if (element.equals(ConfigurationPropertyName.of(known))) {
            return 1;
        }
        if (!splitDashes) {
            return 0;
        }
        String[] parts = known.split("-");
        if (parts.length < 2 || index + parts.length > name.getNumberOfElements()) {
            return 0;
        }
        for (int i = 0; i < parts.length; i++) {
            if (!parts[i].equalsIgnoreCase(name.getElement(index + i, Form.UNIFORM))) {
                return 0;
            }
        }
        return parts.length;
    }

    private static boolean allNumericIndexes(ConfigurationPropertyName name, int from) {
        for (int i = from; i < name.getNumberOfElements(); i++) {
            if (!name.isNumericIndex(i)) {
                return false;
            }
        }
        return true;
    }

    private static void attach(Node top, Class<? extends Record> type) {
        ConfigurationProperties annotation = type.getAnnotation(ConfigurationProperties.class);
        String prefix = annotation.prefix().isEmpty() ? annotation.value() : annotation.prefix();
        if (!prefix.equals(PREFIX) && !prefix.startsWith(PREFIX + ".")) {
            throw new IllegalStateException(type.getName() + " binds " + prefix + ", which is not under " + PREFIX);
        }
        Node parent = top;
        String path = "";
        if (!prefix.equals(PREFIX)) {
            for (String element : prefix.substring(PREFIX.length() + 1).split("\\.")) {
                path = path.isEmpty() ? element : path + "." + element;
                String childPath = path;
                parent = parent.children().computeIfAbsent(element,
                        (key) -> new Node(key, childPath, Kind.GROUP, null, null));
            }
        }
        addComponents(parent, type, path);
    }

    private static void addComponents(Node group, Class<?> type, String path) {
        RecordComponent[] components = type.getRecordComponents();
        Parameter[] parameters = canonicalConstructor(type, components).getParameters();
        for (int i = 0; i < components.length; i++) {
            RecordComponent component = components[i];
            String name = DataObjectPropertyName.toDashedForm(component.getName());
            String childPath = path.isEmpty() ? name : path + "." + name;
            DefaultValue defaultValue = parameters[i].getAnnotation(DefaultValue.class);
            String defaultText = (defaultValue != null && defaultValue.value().length > 0)
                    ? String.join(",", defaultValue.value()) : null;
            ResolvableType componentType = ResolvableType.forMethodReturnType(component.getAccessor());
            group.children().put(name, node(name, childPath, componentType, defaultText));
        }
    }

    private static Node node(String name, String path, ResolvableType type, String defaultText) {
        Class<?> raw = type.toClass();
        if (raw.isRecord()) {
            Node group = new Node(name, path, Kind.GROUP, type, null);
            addComponents(group, raw, path);
            return group;
        }
        if (Map.class.isAssignableFrom(raw)) {
            ResolvableType valueType = type.asMap().getGeneric(1);
            // The path of an entry's settings starts again at the entry, as the key stands for one circuit.
            Node entry = node("", "", valueType, null);
            Node map = new Node(name, path, Kind.MAP, type, null);
            map.setEntry(entry);
            return map;
        }
        return new Node(name, path, Kind.VALUE, type, defaultText);
    }

    /** Links each entry of a map to the group that owns the map, whose settings the entry overrides. */
    private static void linkCounterparts(Node group) {
        for (Node child : group.children().values()) {
            if (child.kind() == Kind.MAP && child.entry().kind() == Kind.GROUP) {
                linkPair(child.entry(), group);
            }
            if (child.kind() == Kind.GROUP) {
                linkCounterparts(child);
            }
        }
    }

    private static void linkPair(Node override, Node global) {
        override.setCounterpart(global);
        for (Node child : override.children().values()) {
            Node globalChild = global.children().get(child.name());
            if (globalChild != null && child.kind() == Kind.GROUP && globalChild.kind() == Kind.GROUP) {
                linkPair(child, globalChild);
            }
        }
    }

    private static Constructor<?> canonicalConstructor(Class<?> type, RecordComponent[] components) {
        Class<?>[] parameterTypes = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
        try {
            return type.getDeclaredConstructor(parameterTypes);
        }
        catch (NoSuchMethodException ex) {
            throw new IllegalStateException("Record " + type.getName() + " has no canonical constructor", ex);
        }
    }

    enum Kind {
        /** Settings under a common prefix, bound from a record. */
        GROUP,
        /** Entries under keys of the user's choice, each bound like the entry node. */
        MAP,
        /** One value, or a list of values. */
        VALUE
    }

    /**
     * A known property or group of properties.
     * <p>
     * The path is relative to audit.retry, or to the key of a map entry for the settings of one entry, so that an
     * override of one circuit has the same path as the global setting it overrides.
     */
    static final class Node {

        private final String name;

        private final String path;

        private final Kind kind;

        private final ResolvableType type;

        private final String defaultValue;

        private final Map<String, Node> children = new LinkedHashMap<>();

        private Node entry;

        private Node counterpart;

        Node(String name, String path, Kind kind, ResolvableType type, String defaultValue) {
            this.name = name;
            this.path = path;
            this.kind = kind;
            this.type = type;
            this.defaultValue = defaultValue;
        }

        String name() {
            return this.name;
        }

        String path() {
            return this.path;
        }

        Kind kind() {
            return this.kind;
        }

        ResolvableType type() {
            return this.type;
        }

        /** Returns the value of {@code @DefaultValue}, list items joined by commas, or null when there is none. */
        String defaultValue() {
            return this.defaultValue;
        }

        Map<String, Node> children() {
            return this.children;
        }

        Node entry() {
            return this.entry;
        }

        /** Returns the global group that the settings of a map entry override, or null outside map entries. */
        Node counterpart() {
            return this.counterpart;
        }

        boolean isCollection() {
            Class<?> raw = (this.type != null) ? this.type.toClass() : Object.class;
            return Collection.class.isAssignableFrom(raw) || raw.isArray();
        }

        /** Returns the paths of the values below this node, relative to it, with map entries written as [key]. */
        List<String> descendantPaths() {
            List<String> paths = new java.util.ArrayList<>();
            collect(this, "", paths);
            return Collections.unmodifiableList(paths);
        }

        private static void collect(Node node, String prefix, List<String> paths) {
            for (Node child : node.children.values()) {
                String childPath = prefix + child.name;
                switch (child.kind) {
                    case VALUE -> paths.add(childPath);
                    case GROUP -> collect(child, childPath + ".", paths);
                    case MAP -> paths.add(childPath + ".[key]");
                    default -> throw new IllegalStateException("Unknown kind " + child.kind);
                }
            }
        }

        private void setEntry(Node entry) {
            this.entry = entry;
        }

        private void setCounterpart(Node counterpart) {
            this.counterpart = counterpart;
        }
    }

    /**
     * The result of matching a name. It contains the deepest known node reached, the canonical name up to that node
     * and the canonical name of the map entry on the way, which is null outside entries. The unknown index is that
     * of the first element that matches no known name, or -1 when the whole name is known.
     */
    record Lookup(Node node, String canonicalName, String entryName, int unknownIndex) {

        boolean isKnown() {
            return this.unknownIndex < 0;
        }
    }
}
