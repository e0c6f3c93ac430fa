package org.lockstepdb.compat.hibernate;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Inheritance;
import jakarta.persistence.InheritanceType;
import jakarta.persistence.Table;

/** A JOINED hierarchy: a bulk HQL update or delete of it touches two tables, which Hibernate does through temporary tables. */
@Entity
@Table(name = "hb_vehicle")
@Inheritance(strategy = InheritanceType.JOINED)
public class Vehicle {
    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE)
    public Long id;
    public String owner;

    protected Vehicle() {
    }

    public Vehicle(String owner) {
        this.owner = owner;
    }
}
