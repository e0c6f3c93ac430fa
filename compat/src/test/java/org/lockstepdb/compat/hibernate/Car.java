package org.lockstepdb.compat.hibernate;

import jakarta.persistence.Entity;
import jakarta.persistence.Table;

@Entity
@Table(name = "hb_car")
public class Car extends Vehicle {
    public int doors;

    protected Car() {
    }

    public Car(String owner, int doors) {
        super(owner);
        this.doors = doors;
    }
}
